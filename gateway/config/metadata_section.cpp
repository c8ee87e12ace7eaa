#include "config/metadata_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "config/option_table.hpp"
#include "metadata/metadata_file.hpp"

namespace edgegw::config {
namespace {

const OptionTable<MetadataConfig>& metadata_options() {
  static const OptionTable<MetadataConfig> table = {
      text<MetadataConfig>(
          "file", &MetadataConfig::file,
          "The device metadata file: CSV (`.csv`, a header row with a `device` column) or "
          "YAML (`devices: {<device>: {<column>: <value>}}`); relative paths are relative to "
          "the config file. Loaded with the config, and again at each reload.",
          EmptyValue::refused)
          .required(),
      list<MetadataConfig>("tags", &MetadataConfig::tags,
                           "The columns joined into records as tags; none listed: every column "
                           "but `device` and `profile`.")
          .shown_default("every column"),
      integer<MetadataConfig>("max_devices", &MetadataConfig::max_devices, between(1, 1e7),
                              "A file with more devices is refused."),
      integer<MetadataConfig>("max_columns", &MetadataConfig::max_columns, between(2, 1024),
                              "A file with more columns (`device` included) is refused."),
  };
  return table;
}

std::string metadata_path(const ConfigNode& node, const std::string& file) {
  std::filesystem::path path(file);
  if (path.is_relative()) {
    path = std::filesystem::path(node.file()).parent_path() / path;
  }
  return path.string();
}

[[noreturn]] void fail_in_file(const DeviceMetadataTable& table, const DeviceMetadata& device,
                               std::string_view what) {
  throw ConfigError(fmt::format("{}:{}: {}", table.source, device.line, what));
}

// A profile names an analytics profile or a maintenance device class (as a mapping's
// analytics_profile does); a typo would quietly give the device the default profile.
void check_profiles(const DeviceMetadataTable& table, const GatewayConfig& config) {
  const auto known = [&](const std::string& profile) {
    return config.analytics.profiles.find(profile) != config.analytics.profiles.end() ||
           std::any_of(config.maintenance.begin(), config.maintenance.end(),
                       [&](const auto& m) { return m.device_class == profile; });
  };
  table.for_each([&](const std::string& device, const DeviceMetadata& m) {
    if (!m.profile.empty() && !known(m.profile)) {
      fail_in_file(table, m,
                   fmt::format("{}: profile '{}' is not one of analytics.profiles (nor a "
                               "maintenance device_class)",
                               device, m.profile));
    }
  });
}

// The rule's column must be in the file, and a number wherever a device has it.
void check_meta_rule(const ConfigNode& when, const analytics::RuleConfig& rule,
                     const DeviceMetadataTable* table) {
  if (table == nullptr) {
    when.fail(fmt::format("meta.{}: needs a metadata file (metadata.file)", rule.threshold_meta));
  }
  if (std::find(table->columns.begin(), table->columns.end(), rule.threshold_meta) ==
      table->columns.end()) {
    when.fail(fmt::format("meta.{}: {} has no column '{}'", rule.threshold_meta, table->source,
                          rule.threshold_meta));
  }
  table->for_each([&](const std::string& device, const DeviceMetadata& m) {
    const std::string* text = m.value(rule.threshold_meta);
    if (text != nullptr && !metadata_number(*text)) {
      fail_in_file(
          *table, m,
          fmt::format("{}: {} '{}' is not a number, and rule '{}' ({}:{}) compares "
                      "with it",
                      device, rule.threshold_meta, *text, rule.name, when.file(), when.line()));
    }
  });
}

// Each profile's rules as written (a profile without `rules` has the default's, checked
// with the default).
void check_meta_rules(const ConfigNode& analytics_node, const GatewayConfig& config) {
  for (const auto& [name, profile] : analytics_node.child("profiles").entries()) {
    const ConfigNode rules = profile.child("rules");
    const auto it = config.analytics.profiles.find(name);
    if (!rules.defined() || it == config.analytics.profiles.end()) {
      continue;
    }
    const std::vector<ConfigNode> items = rules.items();
    for (std::size_t i = 0; i < items.size() && i < it->second.rules.size(); ++i) {
      if (!it->second.rules[i].threshold_meta.empty()) {
        check_meta_rule(items[i].child("when"), it->second.rules[i], config.device_metadata.get());
      }
    }
  }
}

}  // namespace

void parse_metadata_section(const ConfigNode& node, GatewayConfig& config) {
  if (!node.defined()) {
    return;
  }
  read_options(node, metadata_options(), config.metadata);
  config.device_metadata = std::make_shared<const DeviceMetadataTable>(
      metadata::load_metadata_file(metadata_path(node, config.metadata.file), config.metadata));
}

void check_metadata_use(const ConfigNode& root, const GatewayConfig& config) {
  if (config.device_metadata && config.analytics.enabled) {
    check_profiles(*config.device_metadata, config);
  }
  if (config.analytics.enabled) {
    check_meta_rules(root.child("analytics"), config);
  }
}

std::vector<OptionDoc> describe_metadata_section() {
  return describe_options(metadata_options());
}

}  // namespace edgegw::config
