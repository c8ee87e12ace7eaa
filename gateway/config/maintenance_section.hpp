#pragma once
// Parser of `analytics.maintenance`: a list of remaining-useful-life models, one per
// device class (the mappings' analytics_profile). Model files are named relative to the
// config file's directory; they are loaded when the gateway starts.

#include <vector>

#include "config/config_node.hpp"
#include "config/option_doc.hpp"
#include "edgegw/analytics/maintenance_config.hpp"

namespace edgegw::config {

std::vector<analytics::MaintenanceConfig> parse_maintenance_section(const ConfigNode& node);

std::vector<OptionDoc> describe_maintenance_model();  // one entry of the list, with trend.*

}  // namespace edgegw::config
