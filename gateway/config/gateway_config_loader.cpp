#include "config/gateway_config_loader.hpp"

#include "config/analytics_section.hpp"
#include "config/maintenance_section.hpp"
#include "config/sections.hpp"

namespace edgegw::config {

GatewayConfig parse_gateway_config(const ConfigNode& root) {
  if (!root.defined()) {
    root.fail("the config is empty");
  }
  root.check_keys({"gateway", "mqtt", "mappings", "kafka", "buffer", "http", "analytics"});
  GatewayConfig config;
  config.source = root.file();
  const ConfigNode gateway = root.required("gateway");
  gateway.check_keys({"id"});
  config.gateway_id = gateway.required("id").as<std::string>();
  if (config.gateway_id.empty()) {
    gateway.child("id").fail("must not be empty");
  }
  config.mqtt = parse_mqtt_section(root.required("mqtt"));
  config.mappings = parse_mappings_section(root.required("mappings"));
  config.kafka = parse_kafka_section(root.required("kafka"));
  config.buffer = parse_buffer_section(root.required("buffer"));
  config.http = parse_http_section(root.child("http"));
  config.analytics = parse_analytics_section(root.child("analytics"));
  config.maintenance = parse_maintenance_section(root.child("analytics").child("maintenance"));
  return config;
}

GatewayConfig load_gateway_config(const std::string& path) {
  return parse_gateway_config(ConfigNode::load_file(path));
}

}  // namespace edgegw::config
