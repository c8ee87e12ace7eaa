#include <fmt/format.h>

#include <algorithm>

#include "edgegw/csv.hpp"
#include "metadata/metadata_file.hpp"
#include "metadata/table_builder.hpp"

namespace edgegw::metadata {
namespace {

std::string_view trimmed(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) {
    return {};
  }
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

// Reads the header row into the builder; the columns' indexes, in the row's order.
std::vector<std::size_t> read_header(TableBuilder& builder,
                                     const std::vector<std::string_view>& fields, int line) {
  std::vector<std::size_t> columns;
  for (const std::string_view field : fields) {
    const std::size_t index = builder.column(trimmed(field), line);
    if (std::find(columns.begin(), columns.end(), index) != columns.end()) {
      builder.fail(line, fmt::format("column '{}' is named twice", trimmed(field)));
    }
    columns.push_back(index);
  }
  if (std::find(columns.begin(), columns.end(), 0) == columns.end()) {
    builder.fail(line, fmt::format("the header row has no '{}' column", kMetadataDeviceColumn));
  }
  return columns;
}

}  // namespace

DeviceMetadataTable parse_metadata_csv(std::string_view text, const std::string& name,
                                       const MetadataConfig& config) {
  TableBuilder builder(name, config);
  std::vector<std::size_t> columns;  // empty until the header row
  std::vector<std::string_view> fields;
  std::vector<std::pair<std::size_t, std::string>> cells;
  int line = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    const std::string_view row = text.substr(begin, end - begin);
    begin = end + 1;
    ++line;
    if (trimmed(row).empty() || trimmed(row).front() == '#') {
      continue;
    }
    split_fields(row, ',', fields);
    if (columns.empty()) {
      columns = read_header(builder, fields, line);
      continue;
    }
    if (fields.size() != columns.size()) {
      builder.fail(line, fmt::format("expected {} fields, as the header row, found {}",
                                     columns.size(), fields.size()));
    }
    std::string_view device;
    cells.clear();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (columns[i] == 0) {
        device = trimmed(fields[i]);
      } else {
        cells.emplace_back(columns[i], std::string(trimmed(fields[i])));
      }
    }
    builder.add_device(device, cells, line);
  }
  if (columns.empty()) {
    builder.fail(1, "the file has no header row (e.g. 'device,site,line,model')");
  }
  return builder.finish();
}

}  // namespace edgegw::metadata
