#include "config/maintenance_section.hpp"

#include <filesystem>
#include <set>
#include <string>

#include "models/model_file.hpp"

namespace edgegw::config {
namespace {

analytics::TrendEstimatorConfig parse_trend(const ConfigNode& node) {
  node.check_keys(
      {"indicator", "threshold", "shape", "offset", "spacing", "points", "unit", "name"});
  analytics::TrendEstimatorConfig t;
  t.indicator = node.required("indicator").as<std::string>();
  t.fit.threshold = node.required("threshold").as<double>();
  if (node.has("shape")) {
    t.fit.shape = node.child("shape").as_choice({"linear", "exponential"}) == "exponential"
                      ? analytics::TrendShape::kExponential
                      : analytics::TrendShape::kLinear;
  }
  t.fit.offset = node.get<double>("offset", 0.0);
  if (node.has("spacing")) {
    t.spacing_ms = node.child("spacing").as_duration().count();
  }
  t.points = node.get<int>("points", t.points);
  if (node.has("unit")) {
    t.unit = node.child("unit").as_choice({"seconds", "minutes", "hours", "days"});
  }
  t.name = node.get<std::string>("name", "");
  return t;
}

// The daemon loads each model as it starts; loading it here too makes check-config refuse
// a file the daemon could not use, naming the key and its line.
void check_model_file(const ConfigNode& node, const std::string& path) {
  try {
    (void)models::load_model(path);
  } catch (const models::ModelFileError& e) {
    node.fail(e.what());
  }
}

analytics::MaintenanceConfig parse_model(const ConfigNode& node) {
  node.check_keys({"device_class", "model_file", "trend", "cadence_samples", "min_history",
                   "horizon", "clear_margin", "update_step", "max_devices", "idle_eviction"});
  analytics::MaintenanceConfig m;
  m.device_class = node.required("device_class").as<std::string>();
  if (node.has("model_file") == node.has("trend")) {
    node.fail("give either model_file (a trained model) or trend (no training), not both");
  }
  if (node.has("trend")) {
    m.trend = parse_trend(node.child("trend"));
  } else {
    std::filesystem::path file = node.child("model_file").as<std::string>();
    if (file.is_relative()) {
      file = std::filesystem::path(node.file()).parent_path() / file;
    }
    m.model_file = file.lexically_normal().string();
    check_model_file(node.child("model_file"), m.model_file);
  }
  m.cadence_samples = node.get<int>("cadence_samples", m.cadence_samples);
  m.min_history = node.get<int>("min_history", m.min_history);
  m.horizon = node.get<double>("horizon", m.horizon);
  m.clear_margin = node.get<double>("clear_margin", m.clear_margin);
  m.update_step = node.get<double>("update_step", m.update_step);
  m.max_devices = static_cast<std::size_t>(
      node.get<std::int64_t>("max_devices", static_cast<std::int64_t>(m.max_devices)));
  if (node.has("idle_eviction")) {
    m.idle_eviction_ms = node.child("idle_eviction").as_duration().count();
  }
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
