#pragma once
// One parser per top-level section of the gateway config. Each reads its keys through
// ConfigNode (so errors name file, line and key), fills its component's config struct
// with defaults for what is absent, and validates it.

#include <vector>

#include "config/config_node.hpp"
#include "edgegw/config.hpp"

namespace edgegw::config {

MqttConfig parse_mqtt_section(const ConfigNode& node);
std::vector<MappingConfig> parse_mappings_section(const ConfigNode& node);
KafkaConfig parse_kafka_section(const ConfigNode& node);
store::LogConfig parse_buffer_section(const ConfigNode& node);
HttpConfig parse_http_section(const ConfigNode& node);

}  // namespace edgegw::config
