#pragma once
// Reads and validates a whole gateway config file. Throws ConfigError naming file, line
// and key; on success every component's config is complete and consistent.

#include <string>

#include "config/config_node.hpp"
#include "edgegw/config.hpp"

namespace edgegw::config {

GatewayConfig load_gateway_config(const std::string& path);
GatewayConfig parse_gateway_config(const ConfigNode& root);

}  // namespace edgegw::config
