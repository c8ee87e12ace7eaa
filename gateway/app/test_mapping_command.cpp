// `edgegw test-mapping CONFIG --topic T --payload P [--content-type C]
// [--user-property NAME=VALUE ...]`: shows what one message becomes,
// or why it becomes nothing, without any broker. It routes the message with the
// daemon's own MessageRouter, so what it prints is what `run` would store and produce.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "config/gateway_config_loader.hpp"
#include "edgegw/clock.hpp"
#include "pipeline/message_router.hpp"

namespace edgegw::app {
namespace {

struct TestMappingOptions {
  std::string config_file;
  std::string topic;
  std::string payload;
  std::string content_type;
  std::vector<std::string> user_properties;  // NAME=VALUE
};

// The MQTT 5 properties given on the command line; NAME=VALUE splits at the first `=`.
MessageProperties message_properties(const TestMappingOptions& options) {
  MessageProperties properties;
  properties.content_type = options.content_type;
  for (const std::string& entry : options.user_properties) {
    const std::size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw CLI::ValidationError("--user-property",
                                 fmt::format("'{}' should look like NAME=VALUE", entry));
    }
    properties.user.emplace_back(entry.substr(0, equals), entry.substr(equals + 1));
  }
  return properties;
}

void print_outcome(const mapping::MapOutcome& outcome) {
  if (outcome.mapping != nullptr) {
    std::cout << fmt::format("mapping: {} (line {})\n", outcome.mapping->name,
                             outcome.mapping->line);
    if (outcome.has_sample && outcome.mapping->forward == ForwardMode::aggregates) {
      std::cout << "forward: aggregates: the sample only feeds the analytics windows; it is "
                   "not stored as telemetry\n";
    }
  }
  if (outcome.timestamp == mapping::TimestampVerdict::replaced) {
    std::cout << fmt::format("timestamp replaced: {}\n", outcome.timestamp_note);
  }
  for (const mapping::Problem& p : outcome.problems) {
    std::cout << fmt::format("problem: {}: {}\n", mapping::reason_name(p.reason), p.detail);
  }
}

// Each record as the forwarder would produce it: to its stream's topic, with its key.
void print_records(const std::vector<records::Record>& records, const KafkaConfig& kafka) {
  for (const records::Record& r : records) {
    std::cout << fmt::format("{} record: topic={} key={}\n{}\n", stream_name(r.stream),
                             kafka.topics.at(r.stream), r.key, r.payload);
  }
}

void test_mapping(const TestMappingOptions& options) {
  const GatewayConfig config = config::load_gateway_config(options.config_file);
  pipeline::MessageRouter router(config);
  mapping::MapOutcome outcome;
  std::vector<records::Record> records;
  router.route(options.topic, options.payload, wall_clock_ms(), outcome, records,
               message_properties(options));
  print_outcome(outcome);
  print_records(records, config.kafka);
  if (!outcome.problems.empty()) {
    throw CommandExit{outcome.has_sample ? exit_code::partly_mapped : exit_code::failure};
  }
}

}  // namespace

void add_test_mapping_command(CLI::App& app) {
  auto options = std::make_shared<TestMappingOptions>();
  CLI::App* cmd = app.add_subcommand(
      "test-mapping",
      "Show the records a topic and payload become, with their Kafka topic and key (exit 0), "
      "or the problems with it (exit 1: nothing mapped, exit 3: partly mapped)");
  cmd->add_option("config", options->config_file, "Gateway config file (YAML)")->required();
  cmd->add_option("--topic", options->topic, "MQTT topic")->required();
  cmd->add_option("--payload", options->payload, "Message payload")->required();
  cmd->add_option("--content-type", options->content_type,
                  "MQTT 5 Content Type of the message (for $content_type)");
  cmd->add_option("--user-property", options->user_properties,
                  "MQTT 5 user property NAME=VALUE of the message (for $user.NAME); repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->callback([options] { test_mapping(*options); });
}

}  // namespace edgegw::app
