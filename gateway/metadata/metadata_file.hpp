#pragma once
// Reading the device metadata file (include/edgegw/device_metadata.hpp) named by the
// config's `metadata.file`: CSV with a header row, or YAML. Every mistake is a
// config::ConfigError naming the file and line, so that the config (and a reload of it)
// is refused with the reason, as for a mistake in the config itself.

#include <string>
#include <string_view>

#include "config/config_node.hpp"
#include "edgegw/device_metadata.hpp"

namespace edgegw::metadata {

// Bytes of one value (a tag value in every record of its device).
inline constexpr std::size_t kMaxValueBytes = 256;

// The file at `path`: CSV when its name ends in .csv, else YAML.
DeviceMetadataTable load_metadata_file(const std::string& path, const MetadataConfig& config);

// `text` as CSV: a header row naming the columns (`device` among them), then one device
// per row; blank lines and lines starting with '#' are skipped. `name` stands for the
// file in messages.
DeviceMetadataTable parse_metadata_csv(std::string_view text, const std::string& name,
                                       const MetadataConfig& config);

// A YAML document `devices: {<device>: {<column>: <value>, ...}, ...}`.
DeviceMetadataTable parse_metadata_yaml(const config::ConfigNode& root,
                                        const MetadataConfig& config);

}  // namespace edgegw::metadata
