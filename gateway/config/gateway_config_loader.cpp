#include "config/gateway_config_loader.hpp"

#include <fmt/format.h>

#include <set>

#include "config/analytics_section.hpp"
#include "config/maintenance_section.hpp"
#include "config/metadata_section.hpp"
#include "config/sections.hpp"
#include "config/security_audit.hpp"
#include "mapping/compiled_mapping.hpp"
#include "records/record_key.hpp"

namespace edgegw::config {
namespace {

// Every placeholder of the Kafka key must be `device` or a tag some mapping captures: one
// that nothing fills renders empty, and a typo would quietly put devices on one key.
void check_key_template(const ConfigNode& key, const GatewayConfig& config) {
  Result<records::RecordKey> parsed = records::RecordKey::parse(config.kafka.key_template);
  if (!parsed) {
    key.fail(parsed.error().message);
  }
  std::set<std::string> known = {"device"};
  for (const MappingConfig& m : config.mappings) {
    known.insert(m.tag_captures.begin(), m.tag_captures.end());
  }
  for (const std::string& name : parsed.value().placeholders()) {
    if (known.count(name) == 0) {
      key.fail(fmt::format("'{{{}}}' is neither {{device}} nor a tag of any mapping ({})", name,
                           fmt::join(known, ", ")));
    }
  }
}

// Only MQTT 5 messages carry properties: with 3.1.1 such a field would never be there.
void check_message_fields(const ConfigNode& mappings, const GatewayConfig& config) {
  constexpr int kMqtt5 = 5;
  if (config.mqtt.mqtt_version < kMqtt5 && mapping::reads_message_properties(config.mappings)) {
    mappings.fail(
        "a mapping reads $content_type or $user.<name>, MQTT 5 properties: set mqtt.version: 5");
  }
}

}  // namespace

GatewayConfig parse_gateway_config(const ConfigNode& root) {
  if (!root.defined()) {
    root.fail("the config is empty");
  }
  root.check_keys(
      {"gateway", "mqtt", "mappings", "kafka", "buffer", "http", "analytics", "metadata"});
  GatewayConfig config;
  config.source = root.file();
  config.gateway_id = parse_gateway_section(root.required("gateway"));
  config.mqtt = parse_mqtt_section(root.required("mqtt"));
  config.mappings = parse_mappings_section(root.required("mappings"));
  check_message_fields(root.required("mappings"), config);
  config.kafka = parse_kafka_section(root.required("kafka"));
  if (config.kafka.transactional_id.empty()) {
    config.kafka.transactional_id = "edgegw-" + config.gateway_id;
  }
  check_key_template(root.required("kafka").child("key"), config);
  config.buffer = parse_buffer_section(root.required("buffer"));
  config.http = parse_http_section(root.child("http"));
  config.analytics = parse_analytics_section(root.child("analytics"));
  config.maintenance = parse_maintenance_section(root.child("analytics").child("maintenance"));
  parse_metadata_section(root.child("metadata"), config);
  check_metadata_use(root, config);
  config.security_warnings = audit_security(root, config);
  return config;
}

GatewayConfig load_gateway_config(const std::string& path) {
  return parse_gateway_config(ConfigNode::load_file(path));
}

}  // namespace edgegw::config
