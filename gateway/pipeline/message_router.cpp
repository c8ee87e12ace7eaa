#include "pipeline/message_router.hpp"

#include <fmt/format.h>

#include "edgegw/config_error.hpp"
#include "metadata/metadata_join.hpp"
#include "records/dead_letter_record.hpp"
#include "records/telemetry_record.hpp"

namespace edgegw::pipeline {
namespace {

records::RecordKey parse_key(const std::string& key_template) {
  Result<records::RecordKey> key = records::RecordKey::parse(key_template);
  if (!key) {
    throw config::ConfigError("kafka.key: " + key.error().message);
  }
  return std::move(key).value();
}

}  // namespace

MessageRouter::MessageRouter(const GatewayConfig& config)
    : config_(config),
      mapper_(config.mappings, config.mqtt.max_id_bytes),
      key_(parse_key(config.kafka.key_template)) {}

void MessageRouter::route(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
                          mapping::MapOutcome& outcome, std::vector<records::Record>& records,
                          const MessageProperties& properties) {
  records.clear();
  map(topic, payload, arrival_ms, outcome, properties);
  if (const DeviceMetadata* metadata = metadata_of(outcome.sample); metadata != nullptr) {
    metadata::join_tags(outcome.sample, *metadata);
  }
  if (!outcome.problems.empty()) {
    // Without a device the topic is the key: it keeps one source's dead letters in order
    // (its start only: a topic may be 64 KiB long).
    records.push_back(
        {Stream::dead_letter,
         outcome.sample.device.empty() ? std::string(topic.substr(0, config_.mqtt.max_id_bytes))
                                       : key_of(outcome.sample),
         records::encode_dead_letter(outcome, topic, payload, config_.gateway_id, arrival_ms)});
  }
  if (outcome.has_sample && outcome.mapping->forward != ForwardMode::aggregates) {
    records.push_back({Stream::telemetry, key_of(outcome.sample),
                       records::encode_telemetry(outcome.sample, config_.gateway_id,
                                                 outcome.mapping->name, arrival_ms)});
  }
}

// A payload over mqtt.max_payload is dead-lettered without being parsed: one runaway
// device must not fill the log (the dead letter keeps only its start).
void MessageRouter::map(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
                        mapping::MapOutcome& outcome, const MessageProperties& properties) {
  if (payload.size() <= config_.mqtt.max_payload_bytes) {
    mapper_.map(topic, payload, arrival_ms, outcome, properties);
    return;
  }
  outcome.reset();
  outcome.problems.push_back({mapping::DeadLetterReason::oversized,
                              fmt::format("payload of {} bytes exceeds mqtt.max_payload ({} bytes)",
                                          payload.size(), config_.mqtt.max_payload_bytes)});
}

}  // namespace edgegw::pipeline
