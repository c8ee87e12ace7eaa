#pragma once
// Turns (topic, payload) into a Sample using the configured mappings: the first mapping
// whose topic template matches decides. Owned by a MessageRouter (the pipeline's, which
// calls it on the ingest thread under its lock, or test-mapping's); one caller at a time,
// since it reuses scratch buffers between messages. Never throws per message.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgegw/mapping.hpp"
#include "edgegw/message_properties.hpp"
#include "mapping/compiled_mapping.hpp"
#include "mapping/map_outcome.hpp"
#include "mapping/payload_fields.hpp"
#include "sparkplug/sparkplug_decoder.hpp"

namespace edgegw::mapping {

class Mapper {
 public:
  // Throws ConfigError when a mapping cannot be compiled. The configs must outlive it.
  // `max_id_bytes`: the longest device id or tag value taken (mqtt.max_id_length).
  explicit Mapper(const std::vector<MappingConfig>& mappings, std::size_t max_id_bytes = 256);

  // `properties`: the message's MQTT 5 properties, for mappings that read them (empty
  // unless reads_message_properties()).
  void map(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
           MapOutcome& out, const MessageProperties& properties = kNoMessageProperties);

  // Whether any mapping reads a message field ($content_type, $user.<name>).
  [[nodiscard]] bool reads_message_properties() const { return reads_message_properties_; }

  // One MQTT filter per distinct template, for when the config lists no subscriptions.
  [[nodiscard]] std::vector<std::string> subscription_filters() const;

 private:
  void map_sparkplug(const CompiledMapping& m, std::string_view topic, std::string_view payload,
                     std::int64_t arrival_ms, MapOutcome& out);
  [[nodiscard]] bool fill_sparkplug_identity(const sparkplug::Topic& topic, MapOutcome& out) const;
  void read_unlisted_metrics(const CompiledMapping& m, MapOutcome& out);
  void accept_timestamp(const MappingConfig& config, std::int64_t ts, std::int64_t arrival_ms,
                        std::string_view field, MapOutcome& out) const;
  [[nodiscard]] bool fill_identity(const CompiledMapping& m, MapOutcome& out) const;
  [[nodiscard]] bool add_message_tags(const CompiledMapping& m, MapOutcome& out) const;
  // Inline: every field of every message passes here, and almost all are payload fields.
  [[nodiscard]] FieldValue field_value(const FieldLocator& locator) const {
    if (!locator.message) [[likely]] {
      return fields_.get(locator);
    }
    return message_value(*locator.message);
  }
  [[nodiscard]] FieldValue message_value(const MessageField& field) const;
  [[nodiscard]] bool check_id(std::string_view what, std::string_view id, MapOutcome& out) const;
  void read_sensors(const CompiledMapping& m, MapOutcome& out);
  void read_timestamp(const CompiledMapping& m, std::int64_t arrival_ms, MapOutcome& out) const;
  void read_sequence(const CompiledMapping& m, MapOutcome& out) const;
  void add_reading(const SensorMapping& sensor, const std::string& name, const FieldValue& raw,
                   MapOutcome& out) const;

  std::vector<CompiledMapping> mappings_;
  std::size_t max_id_bytes_;
  bool reads_message_properties_ = false;
  const MessageProperties* properties_ = &kNoMessageProperties;  // the current message's
  Captures captures_;                                            // scratch, reused per message
  PayloadFields fields_;                                         // scratch, reused per message
  sparkplug::Decoder sparkplug_;                 // the edge nodes' sessions, across messages
  sparkplug::DecodedMessage sparkplug_message_;  // scratch, reused per message
};

}  // namespace edgegw::mapping
