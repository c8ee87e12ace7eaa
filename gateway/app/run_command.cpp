// `edgegw run CONFIG`: the daemon.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <memory>
#include <optional>
#include <vector>

#include "app/commands.hpp"
#include "app/config_reload.hpp"
#include "app/exit_codes.hpp"
#include "app/gateway_daemon.hpp"
#include "app/process_signals.hpp"
#include "app/reload_requests.hpp"
#include "app/service_notifier.hpp"
#include "edgegw/log.hpp"

namespace edgegw::app {
namespace {

struct RunOptions {
  std::string config_file;
  int flush_timeout_s = 10;
};

// For `systemctl status`: whether /readyz would answer 200.
std::string service_status(const GatewayDaemon& daemon) {
  return daemon.ready() ? "Ready: connected to the MQTT broker and to Kafka"
                        : "Not ready: see /readyz and the log";
}

// Opens the log and builds the gateway; a buffer directory another gateway holds gets
// its own exit code, so that a supervisor or script can tell "already running" from a
// failure.
std::unique_ptr<GatewayDaemon> open_daemon(GatewayConfig config,
                                           const http::ReloadHandler& on_reload_request) {
  try {
    return std::make_unique<GatewayDaemon>(std::move(config), on_reload_request);
  } catch (const store::LogOpenError& e) {
    if (e.code() != store::StoreErrc::locked) {
      throw;
    }
    spdlog::error("{}", e.what());
    throw CommandExit{exit_code::buffer_in_use};
  }
}

bool is_shutdown(const std::optional<int>& signal) {
  return signal && (*signal == SIGTERM || *signal == SIGINT);
}

void run_daemon(const RunOptions& options) {
  GatewayConfig config = load_config_and_warn(options.config_file);
  // Before any thread exists, so that every thread inherits the blocked mask.
  block_termination_signals();
  const std::chrono::seconds flush_timeout(options.flush_timeout_s);
  // Outlives every gateway: their operations endpoints hand POST /-/reload to it.
  ReloadRequests reload_requests;
  const http::ReloadHandler on_reload_request = [&reload_requests](http::DeferredReply request) {
    reload_requests.add(std::move(request));
  };
  std::unique_ptr<GatewayDaemon> daemon = open_daemon(std::move(config), on_reload_request);
  daemon->start();
  const ServiceNotifier service;
  service.ready(service_status(*daemon));
  while (true) {
    // Wakes for the heartbeat too: a process frozen as a whole (stopped, swapped out,
    // deadlocked on the main thread) misses its watchdog pings and systemd restarts it.
    const std::optional<int> signal =
        wait_for_termination_signal(service.heartbeat_period(), reload_requests.wake_fd());
    std::vector<http::DeferredReply> http_requests = reload_requests.take_all();
    if (is_shutdown(signal)) {
      spdlog::info("Shutting down. signal={}", *signal == SIGTERM ? "SIGTERM" : "SIGINT");
      break;  // the HTTP requests, destroyed unanswered, are told 503
    }
    if (signal == SIGHUP || !http_requests.empty()) {
      service.reloading();
      ReloadOutcome outcome =
          reload_config(options.config_file, std::move(daemon), flush_timeout, on_reload_request);
      daemon = std::move(outcome.daemon);
      for (http::DeferredReply& request : http_requests) {
        request.send(reload_response(outcome, options.config_file));
      }
      service.ready(service_status(*daemon));
    } else {
      service.heartbeat(service_status(*daemon));
    }
  }
  service.stopping();
  daemon->stop(flush_timeout);
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run the gateway daemon until SIGTERM or SIGINT; SIGHUP (or POST /-/reload) reloads "
      "the config");
  // No ExistingFile check: an unreadable config is a config error (exit 78) here as in
  // check-config, with the loader's message.
  cmd->add_option("config", options->config_file, "Gateway config file (YAML)")->required();
  cmd->add_option("--flush-timeout", options->flush_timeout_s,
                  "Seconds to wait at shutdown for Kafka to acknowledge what is in flight")
      ->capture_default_str();
  cmd->callback([options] { run_daemon(*options); });
}

}  // namespace edgegw::app
