// edgegw: the edge gateway's single executable; every feature is a subcommand.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/logging_setup.hpp"
#include "edgegw/build_info.hpp"
#include "edgegw/config_error.hpp"

namespace {

namespace exit_code = edgegw::app::exit_code;

// --help and --version end the parse too, successfully; everything else is a usage
// error, exit 2 whatever CLI11's own code for it (105, 106, ...).
int usage_error(const CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(e);
  }
  // A bare `edgegw` asks what it can do: list the subcommands, not only that one is due.
  if (app.get_subcommands().empty() && dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    std::cerr << app.help();
    return exit_code::usage;
  }
  (void)app.exit(e);  // prints the message and a pointer to --help
  return exit_code::usage;
}

}  // namespace

int main(int argc, char** argv) {
  edgegw::app::setup_logging();  // first: whatever fails below is logged in the one format
  CLI::App app{"edgegw: MQTT telemetry to Kafka through a durable log, with analytics"};
  app.require_subcommand(1);
  // Program options may follow the subcommand too: `edgegw run gw.yaml --log-level debug`.
  app.fallthrough();
  app.set_version_flag("--version", edgegw::version_line("edgegw"));
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Log level of every subcommand")
      ->check(CLI::IsMember(edgegw::app::log_levels()))
      ->capture_default_str();
  std::string log_format = "text";
  app.add_option("--log-format", log_format,
                 "Log line format: text, or json (one object per line, for log shippers)")
      ->check(CLI::IsMember(edgegw::app::log_formats()))
      ->capture_default_str();
  // Before any subcommand's callback runs, so that level and format hold from its first
  // line.
  app.parse_complete_callback([&log_level, &log_format] {
    edgegw::app::set_log_level(log_level);
    edgegw::app::set_log_format(log_format);
  });
  edgegw::app::add_run_command(app);
  edgegw::app::add_check_config_command(app);
  edgegw::app::add_test_mapping_command(app);
  edgegw::app::add_topics_command(app);
  edgegw::app::add_mock_kafka_command(app);
  edgegw::app::add_analyze_command(app);
  edgegw::app::add_train_command(app);
  edgegw::app::add_dashboard_command(app);
  edgegw::app::add_metrics_reference_command(app);
  edgegw::app::add_config_reference_command(app);
  edgegw::app::add_version_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e);
  } catch (const edgegw::app::CommandExit& e) {
    return e.code;
  } catch (const edgegw::config::ConfigError& e) {
    spdlog::error("{}", e.what());  // file:line: key: what is wrong
    return exit_code::config;
  } catch (const std::exception& e) {
    // Subcommands run from their callbacks; a control-path failure ends up here.
    spdlog::error("{}", e.what());
    return exit_code::failure;
  }
  return exit_code::ok;
}
