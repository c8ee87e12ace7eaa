#pragma once
// Device metadata: what the plant knows about each device and the device does not say
// (its site, line, model, install date, and limits of its own), read from a CSV or YAML
// file named by the config's `metadata.file` (gateway/metadata loads it). Its tags join
// the device's records, its numbers are the `meta.<name>` of analytics rules, and its
// `profile` chooses the device's analytics profile. A device the file does not list
// works as without metadata.
//
// Immutable once loaded: the gateway shares one table between the pipeline's stages and
// replaces it as a whole when the config is reloaded.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace edgegw {

// The column that names the device, and the one that chooses its analytics profile
// (neither is a tag).
inline constexpr std::string_view kMetadataDeviceColumn = "device";
inline constexpr std::string_view kMetadataProfileColumn = "profile";

struct MetadataConfig {
  std::string file;  // empty: no metadata; relative paths are from the config file's directory
  // Columns joined into records as tags; empty: every column but device and profile.
  std::vector<std::string> tags;
  std::size_t max_devices = 100'000;
  std::size_t max_columns = 64;
};

struct DeviceMetadata {
  std::string profile;  // empty: the mapping's analytics_profile
  // Every other column with a value, in the file's column order (an empty cell is absent).
  std::vector<std::pair<std::string, std::string>> values;
  // The columns that join the device's records as tags (MetadataConfig::tags).
  std::vector<std::pair<std::string, std::string>> tags;
  int line = 0;  // where the device is described, for messages

  [[nodiscard]] const std::string* value(std::string_view column) const {
    for (const auto& [name, text] : values) {
      if (name == column) {
        return &text;
      }
    }
    return nullptr;
  }
};

class DeviceMetadataTable {
 public:
  // The device's metadata, or nullptr when the file does not list it. Allocates nothing.
  [[nodiscard]] const DeviceMetadata* find(std::string_view device) const {
    const auto it = devices_.find(device);
    return it == devices_.end() ? nullptr : &it->second;
  }
  // False (and nothing added) when the device is there already.
  bool add(std::string device, DeviceMetadata metadata) {
    return devices_.emplace(std::move(device), std::move(metadata)).second;
  }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [device, metadata] : devices_) {
      f(device, metadata);
    }
  }
  [[nodiscard]] std::size_t size() const { return devices_.size(); }

  std::string source;                // the file it came from, for messages
  std::vector<std::string> columns;  // every column, `device` first, in the file's order

 private:
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, DeviceMetadata, NameHash, std::equal_to<>> devices_;
};

// A metadata value as the number a rule compares with: the whole text must be one
// finite number ("85", "-3.5", "1e3"); anything else is none.
inline std::optional<double> metadata_number(std::string_view text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace edgegw
