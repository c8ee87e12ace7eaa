#pragma once
// Parser of the `analytics:` section into AnalyticsConfig (docs/analytics.md is the
// reference of its keys). Errors name file, line and key. `analytics.maintenance` is
// left to the maintenance section's own parser.

#include <vector>

#include "config/config_node.hpp"
#include "config/option_doc.hpp"
#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::config {

// An absent section gives the defaults with enabled = false.
analytics::AnalyticsConfig parse_analytics_section(const ConfigNode& node);

std::vector<OptionDoc> describe_analytics_section();
std::vector<OptionDoc> describe_analytics_profile();  // one entry of `profiles`

}  // namespace edgegw::config
