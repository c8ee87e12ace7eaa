#include <fmt/format.h>

#include "metadata/metadata_file.hpp"
#include "metadata/table_builder.hpp"

namespace edgegw::metadata {

DeviceMetadataTable parse_metadata_yaml(const config::ConfigNode& root,
                                        const MetadataConfig& config) {
  if (!root.defined()) {
    root.fail("the metadata file is empty (expected 'devices:')");
  }
  root.check_keys({"devices"});
  TableBuilder builder(root.file(), config);
  std::vector<std::pair<std::size_t, std::string>> cells;
  for (const auto& [device, columns] : root.required("devices").entries()) {
    cells.clear();
    if (columns.defined()) {
      for (const auto& [column, value] : columns.entries()) {
        if (column == kMetadataDeviceColumn) {
          value.fail("the device is the key of its entry, not a column");
        }
        cells.emplace_back(builder.column(column, value.line()),
                           value.defined() ? value.as<std::string>() : std::string());
      }
    }
    builder.add_device(device, cells, columns.line());
  }
  return builder.finish();
}

}  // namespace edgegw::metadata
