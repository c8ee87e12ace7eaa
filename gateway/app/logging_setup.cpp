#include "app/logging_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace edgegw::app {

void setup_logging(const std::string& level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    throw std::runtime_error("--log-level: '" + level +
                             "' is not one of trace, debug, info, warn, error, critical, off");
  }
  auto logger = spdlog::stderr_color_mt("edgegw");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  logger->set_level(parsed);
  spdlog::set_default_logger(logger);
}

}  // namespace edgegw::app
