// `edgegw test-mapping CONFIG --topic T --payload P [--content-type C]
// [--user-property NAME=VALUE ...]`: shows what one message becomes,
// or why it becomes nothing, without any broker. It routes the message with the
// daemon's own MessageRouter, so what it prints is what `run` would store and produce.
//
// `edgegw test-mapping CONFIG --messages FILE [--arrival-ms MS | --timed]`: the same
// for a recording, one `[TIME<TAB>]TOPIC<TAB>PAYLOAD` line per message (firmware-sim's
// --dry-run format). It writes every sample as a JSON line `analyze --input` reads, so a capture
// from a plant goes through the daemon's mapping and validation before the analytics.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "config/gateway_config_loader.hpp"
#include "edgegw/clock.hpp"
#include "mapping/timestamp_parser.hpp"
#include "pipeline/message_router.hpp"

namespace edgegw::app {
namespace {

struct TestMappingOptions {
  std::string config_file;
  std::string topic;
  std::string payload;
  std::string content_type;
  std::vector<std::string> user_properties;  // NAME=VALUE
  std::string messages_file;                 // batch mode: [TIME<TAB>]TOPIC<TAB>PAYLOAD lines
  std::int64_t arrival_ms = 0;               // batch mode: the replay clock's start
  bool timed = false;                        // batch mode: each line starts with its arrival
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

// A sample as one JSON line of `analyze --input`, with its mapping and the recording's
// line it came from (a message without a timestamp is stamped with its arrival; the
// line lets a caller that knows better re-time it).
std::string sample_line(const mapping::MapOutcome& outcome, std::size_t line_no) {
  const Sample& sample = outcome.sample;
  nlohmann::json readings = nlohmann::json::object();
  for (const Reading& r : sample.readings) {
    readings[r.sensor] = std::isfinite(r.value) ? nlohmann::json(r.value) : nlohmann::json();
  }
  nlohmann::json doc{{"line", line_no},
                     {"mapping", outcome.mapping->name},
                     {"timestamp", sample.timestamp_ms},
                     {"device", sample.device},
                     {"readings", std::move(readings)}};
  if (sample.sequence >= 0) {
    doc["sequence"] = sample.sequence;
  }
  return doc.dump();
}

// What a recording became, counted the way the daemon's metrics count it.
struct ReplayCounts {
  std::size_t messages = 0;
  std::size_t samples = 0;
  std::size_t unreadable_lines = 0;  // missing a TAB, or (--timed) an unreadable time
  std::map<std::string, std::size_t> dead_letters;       // by the first problem's reason
  std::map<std::string, std::size_t> rejected_readings;  // of mapped messages, by reason
};

// As the pipeline's dead_letters_total and rejected_readings_total count them.
void count_problems(const mapping::MapOutcome& outcome, ReplayCounts& counts) {
  if (outcome.problems.empty()) {
    return;
  }
  ++counts.dead_letters[std::string(mapping::reason_name(outcome.problems.front().reason))];
  for (const mapping::Problem& problem : outcome.problems) {
    if (mapping::leaves_a_reading_out(problem.reason)) {
      ++counts.rejected_readings[std::string(mapping::reason_name(problem.reason))];
    }
  }
}

std::string describe(const std::map<std::string, std::size_t>& by_reason) {
  std::string text;
  for (const auto& [reason, n] : by_reason) {
    text += fmt::format("{}{}={}", text.empty() ? "" : " ", reason, n);
  }
  return text.empty() ? "none" : text;
}

// One line of a recording: [TIME<TAB>]TOPIC<TAB>PAYLOAD.
struct RecordedMessage {
  std::optional<std::int64_t> arrival_ms;  // the line's TIME, with --timed
  std::string_view topic;
  std::string_view payload;
};

std::optional<RecordedMessage> read_recorded(std::string_view line, bool timed) {
  RecordedMessage m;
  if (timed) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      return std::nullopt;
    }
    const Result<std::int64_t> arrival = mapping::parse_time_text(line.substr(0, tab));
    if (!arrival) {
      return std::nullopt;
    }
    m.arrival_ms = arrival.value();
    line.remove_prefix(tab + 1);
  }
  const std::size_t tab = line.find('\t');
  if (tab == std::string_view::npos) {
    return std::nullopt;
  }
  m.topic = line.substr(0, tab);
  m.payload = line.substr(tab + 1);
  return m;
}

// A message arrives at its recorded time (--timed), else on the replay clock: the newest
// sample time seen so far. Either way the daemon's bounds on event time (max_sample_age,
// max_clock_skew) hold as they would have when the recording was made.
void replay_messages(const TestMappingOptions& options) {
  const GatewayConfig config = config::load_gateway_config(options.config_file);
  std::ifstream in(options.messages_file);
  if (!in) {
    throw std::runtime_error(fmt::format("{}: cannot read this file", options.messages_file));
  }
  pipeline::MessageRouter router(config);
  mapping::MapOutcome outcome;
  std::vector<records::Record> records;
  ReplayCounts counts;
  std::int64_t clock_ms = options.arrival_ms != 0 ? options.arrival_ms : wall_clock_ms();
  std::string line;
  for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
    const std::optional<RecordedMessage> message = read_recorded(line, options.timed);
    if (!message) {
      ++counts.unreadable_lines;
      continue;
    }
    ++counts.messages;
    clock_ms = message->arrival_ms.value_or(clock_ms);
    router.route(message->topic, message->payload, clock_ms, outcome, records);
    count_problems(outcome, counts);
    if (outcome.has_sample) {
      ++counts.samples;
      clock_ms = std::max(clock_ms, outcome.sample.timestamp_ms);
      std::cout << sample_line(outcome, line_no) << '\n';
    }
  }
  std::cerr << fmt::format(
      "{}: {} messages, {} samples; dead letters: {}; readings rejected: {}; unreadable "
      "lines: {}\n",
      options.messages_file, counts.messages, counts.samples, describe(counts.dead_letters),
      describe(counts.rejected_readings), counts.unreadable_lines);
}

}  // namespace

void add_test_mapping_command(CLI::App& app) {
  auto options = std::make_shared<TestMappingOptions>();
  CLI::App* cmd = app.add_subcommand(
      "test-mapping",
      "Show the records a topic and payload become, with their Kafka topic and key (exit 0), "
      "or the problems with it (exit 1: nothing mapped, exit 3: partly mapped)");
  cmd->add_option("config", options->config_file, "Gateway config file (YAML)")->required();
  CLI::Option* topic = cmd->add_option("--topic", options->topic, "MQTT topic");
  CLI::Option* payload = cmd->add_option("--payload", options->payload, "Message payload");
  CLI::Option* messages = cmd->add_option(
      "--messages", options->messages_file,
      "Map a recording instead: one TOPIC<TAB>PAYLOAD line per message (edgegw-sim "
      "--dry-run writes it); prints each sample as a JSON line for `analyze --input`, and "
      "what was dead-lettered on stderr");
  cmd->add_flag("--timed", options->timed,
                "With --messages: each line starts with its arrival time and a TAB: epoch ms "
                "or s, or ISO-8601 (edgegw-sim --dry-run-time, mosquitto_sub -F "
                "'%U\\t%t\\t%p')")
      ->needs(messages);
  messages->check(CLI::ExistingFile)->excludes(topic)->excludes(payload);
  cmd->add_option("--arrival-ms", options->arrival_ms,
                  "With --messages: the arrival time (epoch ms) of the first message; later "
                  "ones arrive at the newest sample time seen (default: now)")
      ->needs(messages);
  cmd->add_option("--content-type", options->content_type,
                  "MQTT 5 Content Type of the message (for $content_type)")
      ->excludes(messages);
  cmd->add_option("--user-property", options->user_properties,
                  "MQTT 5 user property NAME=VALUE of the message (for $user.NAME); repeatable")
      ->excludes(messages)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->callback([options, topic, payload] {
    if (!options->messages_file.empty()) {
      replay_messages(*options);
      return;
    }
    if (topic->count() == 0 || payload->count() == 0) {
      throw CLI::RequiredError("--topic and --payload (or --messages)");
    }
    test_mapping(*options);
  });
}

}  // namespace edgegw::app
