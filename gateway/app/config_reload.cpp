#include "app/config_reload.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <optional>
#include <utility>

#include "config/gateway_config_loader.hpp"
#include "edgegw/config_error.hpp"

namespace edgegw::app {
namespace {

std::optional<GatewayConfig> load_checked(const std::string& config_file) {
  try {
    return load_config_and_warn(config_file);
  } catch (const config::ConfigError& e) {
    spdlog::error("Config reload refused; the running config stays. {}", e.what());
    return std::nullopt;
  }
}

std::unique_ptr<GatewayDaemon> start_daemon(GatewayConfig config) {
  auto daemon = std::make_unique<GatewayDaemon>(std::move(config));
  daemon->start();
  return daemon;
}

}  // namespace

GatewayConfig load_config_and_warn(const std::string& config_file) {
  GatewayConfig config = config::load_gateway_config(config_file);
  for (const std::string& warning : config.security_warnings) {
    spdlog::warn("Config: {}", warning);
  }
  return config;
}

std::unique_ptr<GatewayDaemon> reload_config(const std::string& config_file,
                                             std::unique_ptr<GatewayDaemon> running,
                                             std::chrono::milliseconds flush_timeout) {
  spdlog::info("Reloading the config. file={}", config_file);
  std::optional<GatewayConfig> next = load_checked(config_file);
  if (!next) {
    return running;
  }
  GatewayConfig previous = running->config();
  running->stop(flush_timeout);
  running.reset();  // closes the log (and its lock) before the new gateway opens it
  try {
    auto reloaded = start_daemon(std::move(*next));
    spdlog::info("Config reloaded. file={}", config_file);
    return reloaded;
  } catch (const std::exception& e) {
    spdlog::error("The reloaded config could not start; starting the previous one again. error={}",
                  e.what());
  }
  return start_daemon(std::move(previous));
}

}  // namespace edgegw::app
