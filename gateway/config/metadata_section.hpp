#pragma once
// The `metadata:` section: which device metadata file to load (gateway/metadata reads
// it) and how its columns are used, and the checks of its use by the rest of the config
// (profiles the file names, the `meta.<name>` thresholds of rules), which need both.

#include <memory>
#include <vector>

#include "config/config_node.hpp"
#include "config/option_doc.hpp"
#include "edgegw/config.hpp"

namespace edgegw::config {

// Reads the section (absent: no metadata) and loads its file into `config`'s
// `metadata` and `device_metadata`. A malformed file fails at its own file:line.
void parse_metadata_section(const ConfigNode& node, GatewayConfig& config);

// Fails where the config and the file disagree: a `profile` the analytics do not have
// (at the file's line), a rule's `meta.<name>` without a metadata file or column (at the
// rule's line), or a value of that column that is not a number (at the file's line).
void check_metadata_use(const ConfigNode& root, const GatewayConfig& config);

std::vector<OptionDoc> describe_metadata_section();

}  // namespace edgegw::config
