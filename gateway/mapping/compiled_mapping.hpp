#pragma once
// A MappingConfig prepared for the per-message path: the topic template and field paths
// parsed, CSV columns resolved to indexes. Built once at start-up (or reload).

#include <optional>
#include <string>
#include <vector>

#include "edgegw/mapping.hpp"
#include "mapping/json_path.hpp"
#include "mapping/message_field.hpp"
#include "mapping/topic_template.hpp"

namespace edgegw::mapping {

// Where a value sits: in the payload at a JSON path, a CSV column index or a Sparkplug
// metric's name, or in the message's MQTT 5 properties.
struct FieldLocator {
  std::optional<JsonPath> json;
  std::size_t csv_column = 0;
  std::string metric;
  std::optional<MessageField> message;
};

struct CompiledSensor {
  const SensorMapping* config = nullptr;
  FieldLocator field;
};

struct CompiledMapping {
  const MappingConfig* config = nullptr;
  TopicTemplate topic;
  std::vector<CompiledSensor> sensors;
  std::optional<FieldLocator> timestamp;
  std::optional<FieldLocator> sequence;
  std::vector<std::string> capture_tags;   // tags copied from topic captures
  std::vector<MessageField> message_tags;  // tags copied from MQTT 5 properties
  bool reads_message_properties = false;   // any field or tag above is a message field
};

// Where `field` sits in the payloads of `config`'s format; an error when a JSON path does
// not parse or a CSV column is not among the mapping's columns. A bare number has no
// fields: any field locates to the payload itself.
Result<FieldLocator> locate_field(const MappingConfig& config, const std::string& field);

// Throws ConfigError naming the mapping when a path or column does not resolve.
CompiledMapping compile_mapping(const MappingConfig& config);

// True when a mapping reads a message field ($content_type, $user.<name>): the session
// then copies each message's properties, which it otherwise leaves alone. Throws like
// compile_mapping.
bool reads_message_properties(const std::vector<MappingConfig>& mappings);

}  // namespace edgegw::mapping
