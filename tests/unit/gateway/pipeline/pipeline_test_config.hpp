#pragma once
// The config pipeline tests share: gateway gw-1 on a local broker and cluster, with the
// keys and sections a test adds. The pipeline never connects to either nor opens the
// buffer directory, so those are placeholders.

#include <string>
#include <string_view>

#include "config/config_node.hpp"
#include "config/gateway_config_loader.hpp"

namespace edgegw::pipeline::testing {

struct ConfigParts {
  std::string_view mqtt_keys{};   // lines under `mqtt:`, indented by two spaces
  std::string_view sections{};    // whole sections: mappings, analytics, ...
  std::string_view kafka_keys{};  // lines under `kafka:`, indented by two spaces
};

inline GatewayConfig pipeline_test_config(const ConfigParts& parts) {
  std::string yaml = "gateway:\n  id: gw-1\nmqtt:\n  broker: tcp://127.0.0.1:1883\n";
  yaml.append(parts.mqtt_keys).append(parts.sections);
  yaml.append("kafka:\n  bootstrap_servers: 127.0.0.1:9092\n").append(parts.kafka_keys);
  yaml.append("buffer:\n  directory: unused\n");
  return config::parse_gateway_config(config::ConfigNode::load_string(yaml, "gw.yaml"));
}

}  // namespace edgegw::pipeline::testing
