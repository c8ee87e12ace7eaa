#pragma once
// The mappings section of a config, parsed from YAML as the gateway parses it (file name
// "m.yaml" in messages), for the mapper's tests.

#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/sections.hpp"

namespace edgegw::test {

inline std::vector<MappingConfig> mappings(const std::string& yaml) {
  return config::parse_mappings_section(config::ConfigNode::load_string(yaml, "m.yaml"));
}

}  // namespace edgegw::test
