#pragma once
// What a valid config leaves open: credentials over clear text, certificate
// verification turned off, secrets readable by other users. Each finding is a warning
// placed like an error (file:line: key: what); the daemon logs them at start and
// `check-config --strict` fails on them, so that a deployment can require none.

#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "edgegw/config.hpp"

namespace edgegw::config {

[[nodiscard]] std::vector<std::string> audit_security(const ConfigNode& root,
                                                      const GatewayConfig& config);

}  // namespace edgegw::config
