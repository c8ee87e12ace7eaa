#include "app/logging_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "app/json_log_formatter.hpp"

namespace edgegw::app {

const std::vector<std::string>& log_levels() {
  static const std::vector<std::string> levels = {"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};
  return levels;
}

namespace {

constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v";

}  // namespace

void setup_logging() {
  auto logger = spdlog::stderr_color_mt("edgegw");
  logger->set_pattern(kTextPattern);
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

const std::vector<std::string>& log_formats() {
  static const std::vector<std::string> formats = {"text", "json"};
  return formats;
}

void set_log_format(const std::string& format) {
  if (format == "json") {
    spdlog::set_formatter(std::make_unique<JsonLogFormatter>());
  } else if (format == "text") {
    spdlog::set_pattern(kTextPattern);
  } else {
    throw std::invalid_argument("--log-format: '" + format + "' is not a log format");
  }
}

}  // namespace edgegw::app
