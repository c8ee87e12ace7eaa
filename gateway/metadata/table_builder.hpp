#pragma once
// What the CSV and the YAML reader share: the checks of the columns and devices they
// find (names, duplicates, the caps of MetadataConfig) and the assembly of the table, so
// that both formats mean the same and refuse the same.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgegw/device_metadata.hpp"

namespace edgegw::metadata {

class TableBuilder {
 public:
  TableBuilder(std::string source, const MetadataConfig& config);

  // Registers a column (once each); its index. Fails at `line` beyond max_columns.
  std::size_t column(std::string_view name, int line);
  // One device's cells as (column index, text); empty texts are left out. Fails at `line`
  // for an empty or repeated device, beyond max_devices, or a value too long.
  void add_device(std::string_view device,
                  const std::vector<std::pair<std::size_t, std::string>>& cells, int line);
  // The table; fails when a column named in MetadataConfig::tags is not in the file.
  DeviceMetadataTable finish();

  [[noreturn]] void fail(int line, std::string_view what) const;

 private:
  [[nodiscard]] bool is_tag(const std::string& column) const;

  const MetadataConfig& config_;
  DeviceMetadataTable table_;
};

}  // namespace edgegw::metadata
