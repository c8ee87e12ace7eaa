#include "app/logging_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace edgegw::app {

const std::vector<std::string>& log_levels() {
  static const std::vector<std::string> levels = {"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};
  return levels;
}

void setup_logging() {
  auto logger = spdlog::stderr_color_mt("edgegw");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  logger->set_level(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void set_log_level(const std::string& level) {
  const std::vector<std::string>& known = log_levels();
  if (std::find(known.begin(), known.end(), level) == known.end()) {
    throw std::invalid_argument("--log-level: '" + level + "' is not a log level");
  }
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace edgegw::app
