#pragma once
// Parser of the `analytics:` section into AnalyticsConfig (docs/analytics.md is the
// reference of its keys). Errors name file, line and key. `analytics.maintenance` is
// left to the maintenance section's own parser.

#include "config/config_node.hpp"
#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::config {

// An absent section gives the defaults with enabled = false.
analytics::AnalyticsConfig parse_analytics_section(const ConfigNode& node);

}  // namespace edgegw::config
