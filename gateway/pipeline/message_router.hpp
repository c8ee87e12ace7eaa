#pragma once
// What one MQTT message becomes, decided in one place for the daemon's pipeline and for
// `edgegw test-mapping`, so that the two cannot drift apart: the mapper's outcome and
// the records to store, each with its stream and Kafka key. It stores and counts
// nothing; the pipeline does that with what it returns.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgegw/config.hpp"
#include "edgegw/stream.hpp"
#include "mapping/map_outcome.hpp"
#include "mapping/mapper.hpp"
#include "records/record.hpp"
#include "records/record_key.hpp"

namespace edgegw::pipeline {

class MessageRouter {
 public:
  // Throws ConfigError for mappings or a key template that cannot be compiled. The config
  // must outlive the router.
  explicit MessageRouter(const GatewayConfig& config);

  // Maps one message into `outcome` and replaces `records` with what is stored for it, in
  // order: a dead letter when anything went wrong (a payload over mqtt.max_payload, no
  // mapping, bad fields), then the telemetry record of the sample, unless its mapping
  // says `forward: aggregates` (its samples only feed the analytics windows). The
  // sample's device metadata tags are joined into its tags first (metadata_join.hpp). Both
  // arguments are the caller's scratch, reused per message. Not thread-safe (the mapper's
  // buffers).
  // `properties`: the message's MQTT 5 properties, when reads_message_properties().
  void route(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
             mapping::MapOutcome& outcome, std::vector<records::Record>& records,
             const MessageProperties& properties = kNoMessageProperties);

  // The Kafka key of every record about this sample's device (kafka.key): telemetry and
  // dead letters here, and the aggregates, alerts and predictions the stages derive.
  [[nodiscard]] std::string key_of(const Sample& sample) const { return key_.render(sample); }

  // Whether a mapping reads $content_type or $user.<name>: the session must copy them.
  [[nodiscard]] bool reads_message_properties() const { return mapper_.reads_message_properties(); }
  // The metadata of the sample's device; nullptr without a metadata file or when the
  // file does not list the device.
  [[nodiscard]] const DeviceMetadata* metadata_of(const Sample& sample) const {
    return config_.device_metadata ? config_.device_metadata->find(sample.device) : nullptr;
  }

  // One MQTT filter per distinct mapping template.
  [[nodiscard]] std::vector<std::string> subscription_filters() const {
    return mapper_.subscription_filters();
  }

 private:
  void map(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
           mapping::MapOutcome& outcome, const MessageProperties& properties);

  const GatewayConfig& config_;
  mapping::Mapper mapper_;
  records::RecordKey key_;
};

}  // namespace edgegw::pipeline
