#pragma once
// A MappingConfig prepared for the per-message path: the topic template and field paths
// parsed, CSV columns resolved to indexes. Built once at start-up (or reload).

#include <optional>
#include <string>
#include <vector>

#include "edgegw/mapping.hpp"
#include "mapping/json_path.hpp"
#include "mapping/topic_template.hpp"

namespace edgegw::mapping {

// Where a value sits in a payload: a JSON path, a CSV column index, or a Sparkplug
// metric's name.
struct FieldLocator {
  std::optional<JsonPath> json;
  std::size_t csv_column = 0;
  std::string metric;
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
};

// Where `field` sits in the payloads of `config`'s format; an error when a JSON path does
// not parse or a CSV column is not among the mapping's columns. A bare number has no
// fields: any field locates to the payload itself.
Result<FieldLocator> locate_field(const MappingConfig& config, const std::string& field);

// Throws ConfigError naming the mapping when a path or column does not resolve.
CompiledMapping compile_mapping(const MappingConfig& config);

}  // namespace edgegw::mapping
