#pragma once
// One parser per top-level section of the gateway config. Each reads its keys through
// its option table (option_table.hpp: errors name file, line and key), fills its
// component's config struct with defaults for what is absent, and validates it. Each
// also describes its keys for the reference tables (config_reference.hpp).

#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/option_doc.hpp"
#include "edgegw/config.hpp"

namespace edgegw::config {

std::string parse_gateway_section(const ConfigNode& node);  // the gateway's id
MqttConfig parse_mqtt_section(const ConfigNode& node);
std::vector<MappingConfig> parse_mappings_section(const ConfigNode& node);
KafkaConfig parse_kafka_section(const ConfigNode& node);
store::LogConfig parse_buffer_section(const ConfigNode& node);
HttpConfig parse_http_section(const ConfigNode& node);

std::vector<OptionDoc> describe_gateway_section();
std::vector<OptionDoc> describe_mqtt_section();   // with tls.* and alerts.*
std::vector<OptionDoc> describe_mapping_keys();   // with timestamp.*
std::vector<OptionDoc> describe_sensor_keys();    // one entry of a mapping's `sensors`
std::vector<OptionDoc> describe_kafka_section();  // with topics.*
std::vector<OptionDoc> describe_buffer_section();
std::vector<OptionDoc> describe_http_section();

}  // namespace edgegw::config
