// edgegw: the edge gateway's single executable; every feature is a subcommand.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <exception>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"edgegw: MQTT telemetry to Kafka through a durable log, with analytics"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "edgegw 0.1.0");
  edgegw::app::add_run_command(app);
  edgegw::app::add_check_config_command(app);
  edgegw::app::add_test_mapping_command(app);
  edgegw::app::add_mock_kafka_command(app);
  edgegw::app::add_analyze_command(app);
  edgegw::app::add_train_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const edgegw::app::CommandExit& e) {
    return e.code;
  } catch (const std::exception& e) {
    // Subcommands run from their callbacks; a control-path failure ends up here.
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
