#pragma once
// The alerts dashboard's config file (`edgegw dashboard --config FILE`): its sections
// `http`, `kafka`, `limits` and `sites`, read through option tables like the gateway's,
// so that every error names file, line and key.

#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/option_doc.hpp"
#include "edgegw/dashboard_config.hpp"

namespace edgegw::config {

DashboardConfig load_dashboard_config(const std::string& path);
DashboardConfig parse_dashboard_config(const ConfigNode& root);

std::vector<OptionDoc> describe_dashboard_file();  // the top-level keys
std::vector<OptionDoc> describe_dashboard_http();
std::vector<OptionDoc> describe_dashboard_kafka();  // with topics.*
std::vector<OptionDoc> describe_dashboard_limits();

}  // namespace edgegw::config
