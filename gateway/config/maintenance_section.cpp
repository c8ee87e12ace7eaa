#include "config/maintenance_section.hpp"

#include <filesystem>
#include <set>

namespace edgegw::config {
namespace {

analytics::MaintenanceConfig parse_model(const ConfigNode& node) {
  node.check_keys({"device_class", "model_file", "cadence_samples", "min_history", "horizon",
                   "clear_margin", "update_step", "max_devices"});
  analytics::MaintenanceConfig m;
  m.device_class = node.required("device_class").as<std::string>();
  std::filesystem::path file = node.required("model_file").as<std::string>();
  if (file.is_relative()) {
    file = std::filesystem::path(node.file()).parent_path() / file;
  }
  m.model_file = file.lexically_normal().string();
  m.cadence_samples = node.get<int>("cadence_samples", m.cadence_samples);
  m.min_history = node.get<int>("min_history", m.min_history);
  m.horizon = node.get<double>("horizon", m.horizon);
  m.clear_margin = node.get<double>("clear_margin", m.clear_margin);
  m.update_step = node.get<double>("update_step", m.update_step);
  m.max_devices = static_cast<std::size_t>(
      node.get<std::int64_t>("max_devices", static_cast<std::int64_t>(m.max_devices)));
  if (const std::optional<std::string> problem = m.validate()) {
    node.fail(*problem);
  }
  return m;
}

}  // namespace

std::vector<analytics::MaintenanceConfig> parse_maintenance_section(const ConfigNode& node) {
  std::vector<analytics::MaintenanceConfig> models;
  std::set<std::string> classes;
  for (const ConfigNode& item : node.items()) {
    models.push_back(parse_model(item));
    if (!classes.insert(models.back().device_class).second) {
      item.child("device_class").fail("a device class may have only one model");
    }
  }
  return models;
}

}  // namespace edgegw::config
