// `edgegw dashboard`: the alerts dashboard of a fleet, downstream of Kafka. Reads its
// settings from --config (gateway/config/dashboard_section.hpp) and/or flags; flags win.
// Runs until SIGTERM or SIGINT.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/process_signals.hpp"
#include "config/dashboard_section.hpp"
#include "dashboard/dashboard_service.hpp"
#include "http/listen_address.hpp"

namespace edgegw::app {
namespace {

using namespace std::chrono_literals;

struct DashboardOptions {
  std::string config_file;
  std::optional<std::string> brokers;
  std::optional<std::string> group;
  std::optional<std::string> listen;
  std::optional<std::string> alerts_topic;
  std::optional<std::string> aggregates_topic;
  std::optional<std::string> predictions_topic;
};

// A flag's value is checked as the file's key would be, naming the flag.
void check_flags(const DashboardOptions& options) {
  auto refuse_empty = [](const std::optional<std::string>& value, std::string_view flag) {
    if (value && value->empty()) {
      throw CLI::ValidationError(std::string(flag), "must not be empty");
    }
  };
  refuse_empty(options.brokers, "--brokers");
  refuse_empty(options.group, "--group");
  refuse_empty(options.alerts_topic, "--alerts-topic");
  refuse_empty(options.aggregates_topic, "--aggregates-topic");
  refuse_empty(options.predictions_topic, "--predictions-topic");
  if (options.listen) {
    if (const auto address = http::parse_listen_address(*options.listen); !address) {
      throw CLI::ValidationError("--listen", address.error().message);
    }
  }
}

DashboardConfig resolve_config(const DashboardOptions& options) {
  DashboardConfig config;
  if (!options.config_file.empty()) {
    config = config::load_dashboard_config(options.config_file);
  }
  auto take = [](const std::optional<std::string>& flag, std::string& into) {
    if (flag) {
      into = *flag;
    }
  };
  take(options.brokers, config.kafka.bootstrap_servers);
  take(options.group, config.kafka.group);
  take(options.listen, config.http.listen);
  take(options.alerts_topic, config.kafka.alerts_topic);
  take(options.aggregates_topic, config.kafka.aggregates_topic);
  take(options.predictions_topic, config.kafka.predictions_topic);
  return config;
}

void run_dashboard(const DashboardOptions& options) {
  check_flags(options);
  const DashboardConfig config = resolve_config(options);
  block_termination_signals();  // before any thread starts, so that all inherit the mask
  dashboard::DashboardService service(config);
  try {
    service.start();
  } catch (const std::runtime_error& e) {
    spdlog::error("Dashboard cannot start: {}", e.what());
    throw CommandExit{exit_code::failure};
  }
  // Pages learn of Kafka's state and the counters once a second.
  while (!wait_for_termination_signal(1000ms)) {
    service.publish_status();
  }
  spdlog::info("Dashboard stopping");
  service.stop();
}

}  // namespace

void add_dashboard_command(CLI::App& app) {
  auto options = std::make_shared<DashboardOptions>();
  CLI::App* cmd = app.add_subcommand(
      "dashboard",
      "Serve the alerts dashboard of a fleet: consumes the alerts, aggregates and predictions "
      "topics from Kafka and serves a live page");
  cmd->add_option("--config", options->config_file, "Dashboard config file (YAML)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--brokers", options->brokers,
                  "Kafka bootstrap servers, host:port[,...] (default 127.0.0.1:9092)");
  cmd->add_option("--group", options->group, "Consumer group (default edgegw-dashboard)");
  cmd->add_option("--listen", options->listen,
                  "host:port of the page (default 127.0.0.1:8088; port 0 picks one)");
  cmd->add_option("--alerts-topic", options->alerts_topic, "Default edgegw.alerts");
  cmd->add_option("--aggregates-topic", options->aggregates_topic, "Default edgegw.aggregates");
  cmd->add_option("--predictions-topic", options->predictions_topic, "Default edgegw.predictions");
  cmd->callback([options] { run_dashboard(*options); });
}

}  // namespace edgegw::app
