// `edgegw test-mapping CONFIG --topic T --payload P`: shows what one message becomes,
// or why it becomes nothing, without any broker.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "config/config_error.hpp"
#include "config/gateway_config_loader.hpp"
#include "mapping/mapper.hpp"
#include "records/dead_letter_record.hpp"
#include "records/telemetry_record.hpp"

namespace edgegw::app {
namespace {

struct TestMappingOptions {
  std::string config_file;
  std::string topic;
  std::string payload;
};

void test_mapping(const TestMappingOptions& options) {
  GatewayConfig config;
  try {
    config = config::load_gateway_config(options.config_file);
  } catch (const config::ConfigError& e) {
    std::cerr << e.what() << '\n';
    throw CommandExit{1};
  }
  mapping::Mapper mapper(config.mappings);
  mapping::MapOutcome outcome;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  mapper.map(options.topic, options.payload, now, outcome);
  if (outcome.mapping != nullptr) {
    std::cout << fmt::format("mapping: {} (line {})\n", outcome.mapping->name,
                             outcome.mapping->line);
  }
  if (outcome.has_sample) {
    std::cout << "telemetry record:\n"
              << records::encode_telemetry(outcome.sample, config.gateway_id, outcome.mapping->name,
                                           now)
              << '\n';
  }
  if (outcome.timestamp == mapping::TimestampVerdict::replaced) {
    std::cout << fmt::format("timestamp replaced: {}\n", outcome.timestamp_note);
  }
  for (const mapping::Problem& p : outcome.problems) {
    std::cout << fmt::format("problem: {}: {}\n", p.reason, p.detail);
  }
  if (!outcome.problems.empty()) {
    std::cout << "dead-letter record:\n"
              << records::encode_dead_letter(outcome, options.topic, options.payload,
                                             config.gateway_id, now)
              << '\n';
    throw CommandExit{outcome.has_sample ? 2 : 1};
  }
}

}  // namespace

void add_test_mapping_command(CLI::App& app) {
  auto options = std::make_shared<TestMappingOptions>();
  CLI::App* cmd =
      app.add_subcommand("test-mapping",
                         "Show the sample a topic and payload map to (exit 0), the problems "
                         "with it (exit 1: nothing mapped, exit 2: partly mapped)");
  cmd->add_option("config", options->config_file, "Gateway config file (YAML)")->required();
  cmd->add_option("--topic", options->topic, "MQTT topic")->required();
  cmd->add_option("--payload", options->payload, "Message payload")->required();
  cmd->callback([options] { test_mapping(*options); });
}

}  // namespace edgegw::app
