#include "metadata/table_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "edgegw/config_error.hpp"
#include "metadata/metadata_file.hpp"

namespace edgegw::metadata {

TableBuilder::TableBuilder(std::string source, const MetadataConfig& config) : config_(config) {
  table_.source = std::move(source);
  table_.columns.emplace_back(kMetadataDeviceColumn);
}

void TableBuilder::fail(int line, std::string_view what) const {
  throw config::ConfigError(fmt::format("{}:{}: {}", table_.source, line, what));
}

std::size_t TableBuilder::column(std::string_view name, int line) {
  if (name.empty()) {
    fail(line, "a column has no name");
  }
  const auto it = std::find(table_.columns.begin(), table_.columns.end(), name);
  if (it != table_.columns.end()) {
    return static_cast<std::size_t>(it - table_.columns.begin());
  }
  if (table_.columns.size() >= config_.max_columns) {
    fail(line, fmt::format("more than metadata.max_columns ({}) columns: '{}' is one too many",
                           config_.max_columns, name));
  }
  table_.columns.emplace_back(name);
  return table_.columns.size() - 1;
}

bool TableBuilder::is_tag(const std::string& column) const {
  if (column == kMetadataDeviceColumn || column == kMetadataProfileColumn) {
    return false;
  }
  return config_.tags.empty() ||
         std::find(config_.tags.begin(), config_.tags.end(), column) != config_.tags.end();
}

void TableBuilder::add_device(std::string_view device,
                              const std::vector<std::pair<std::size_t, std::string>>& cells,
                              int line) {
  if (device.empty()) {
    fail(line, "the device is empty");
  }
  if (const DeviceMetadata* first = table_.find(device); first != nullptr) {
    fail(line, fmt::format("device '{}' is listed twice (first at line {})", device, first->line));
  }
  if (table_.size() >= config_.max_devices) {
    fail(line, fmt::format("more than metadata.max_devices ({}) devices", config_.max_devices));
  }
  DeviceMetadata m;
  m.line = line;
  for (const auto& [index, text] : cells) {
    const std::string& name = table_.columns.at(index);
    if (text.size() > kMaxValueBytes) {
      fail(line, fmt::format("{}: the value is longer than {} bytes", name, kMaxValueBytes));
    }
    if (text.empty()) {
      continue;  // an empty cell: the device has no such value
    }
    if (name == kMetadataProfileColumn) {
      m.profile = text;
      continue;
    }
    m.values.emplace_back(name, text);
    if (is_tag(name)) {
      m.tags.emplace_back(name, text);
    }
  }
  table_.add(std::string(device), std::move(m));
}

DeviceMetadataTable TableBuilder::finish() {
  for (const std::string& tag : config_.tags) {
    if (std::find(table_.columns.begin(), table_.columns.end(), tag) == table_.columns.end()) {
      fail(1, fmt::format("metadata.tags names '{}', which is not a column of the file", tag));
    }
  }
  return std::move(table_);
}

}  // namespace edgegw::metadata
