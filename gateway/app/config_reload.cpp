#include "app/config_reload.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <optional>
#include <utility>

#include "config/gateway_config_loader.hpp"
#include "edgegw/config_error.hpp"

namespace edgegw::app {
namespace {

std::unique_ptr<GatewayDaemon> start_daemon(GatewayConfig config,
                                            const http::ReloadHandler& on_reload_request) {
  auto daemon = std::make_unique<GatewayDaemon>(std::move(config), on_reload_request);
  daemon->start();
  return daemon;
}

// A new gateway from `next` in place of the running one, through a stop and a start: the
// MQTT session ends and begins again (as across a restart, a message stored in the last
// instant may come again from the broker). When `next` cannot start, the previous
// config starts again.
ReloadOutcome restart_with(GatewayConfig next, const std::string& config_file,
                           std::unique_ptr<GatewayDaemon> running,
                           std::chrono::milliseconds flush_timeout,
                           const http::ReloadHandler& on_reload_request) {
  GatewayConfig previous = running->config();
  running->stop(flush_timeout);
  running.reset();  // closes the log (and its lock) before the new gateway opens it
  try {
    auto reloaded = start_daemon(std::move(next), on_reload_request);
    spdlog::info("Config reloaded. file={}", config_file);
    return {ReloadOutcome::Result::applied, "", std::move(reloaded)};
  } catch (const std::exception& e) {
    spdlog::error("The reloaded config could not start; starting the previous one again. error={}",
                  e.what());
    return {ReloadOutcome::Result::previous_restored, e.what(),
            start_daemon(std::move(previous), on_reload_request)};
  }
}

}  // namespace

GatewayConfig load_config_and_warn(const std::string& config_file) {
  GatewayConfig config = config::load_gateway_config(config_file);
  for (const std::string& warning : config.security_warnings) {
    spdlog::warn("Config: {}", warning);
  }
  if (config.device_metadata) {
    spdlog::info("Device metadata loaded. file={} devices={} columns={}",
                 config.device_metadata->source, config.device_metadata->size(),
                 config.device_metadata->columns.size());
  }
  return config;
}

ReloadOutcome reload_config(const std::string& config_file, std::unique_ptr<GatewayDaemon> running,
                            std::chrono::milliseconds flush_timeout,
                            const http::ReloadHandler& on_reload_request) {
  spdlog::info("Reloading the config. file={}", config_file);
  std::optional<GatewayConfig> next;
  try {
    next = load_config_and_warn(config_file);
  } catch (const config::ConfigError& e) {
    spdlog::error("Config reload refused; the running config stays. {}", e.what());
    return {ReloadOutcome::Result::refused, e.what(), std::move(running)};
  }
  if (running->can_reload_in_place(*next)) {
    try {
      if (running->reload_in_place(*next, flush_timeout)) {
        spdlog::info("Config reloaded. file={}", config_file);
        return {ReloadOutcome::Result::applied, "", std::move(running)};
      }
      spdlog::warn(
          "The message being handled did not finish within the flush timeout; reloading by "
          "restarting the gateway instead.");
    } catch (const std::exception& e) {
      spdlog::error("The reloaded config could not start; the running config stays. error={}",
                    e.what());
      return {ReloadOutcome::Result::previous_restored, e.what(), std::move(running)};
    }
  }
  return restart_with(std::move(*next), config_file, std::move(running), flush_timeout,
                      on_reload_request);
}

}  // namespace edgegw::app
