#include "config/maintenance_section.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "config/option_table.hpp"
#include "models/model_file.hpp"

namespace edgegw::config {
namespace {

using analytics::MaintenanceConfig;
using analytics::TrendEstimatorConfig;

// The fit's settings live in a member of their own.
double& trend_threshold(TrendEstimatorConfig& t) {
  return t.fit.threshold;
}
double& trend_offset(TrendEstimatorConfig& t) {
  return t.fit.offset;
}
analytics::TrendShape& trend_shape(TrendEstimatorConfig& t) {
  return t.fit.shape;
}

const OptionTable<TrendEstimatorConfig>& trend_options() {
  using T = TrendEstimatorConfig;
  static const OptionTable<T> table = {
      text<T>("indicator", &T::indicator,
              "The sensor that is the health indicator (e.g. `vibration`).", EmptyValue::refused)
          .required(),
      number<T>("threshold", trend_threshold, {},
                "Its failure level; remaining life is the time until the trend reaches it.")
          .required(),
      choice<T>("shape", trend_shape,
                {{"linear", analytics::TrendShape::kLinear},
                 {"exponential", analytics::TrendShape::kExponential}},
                "`exponential`: growth above `trend.offset`, fitted in log space."),
      number<T>("offset", trend_offset, {},
                "Exponential: the healthy baseline the growth starts from."),
      duration<T>("spacing", &T::spacing_ms, above(0),
                  "One history point per this much event time: the mean of the indicator over "
                  "it."),
      integer<T>("points", &T::points, between(3, T::kMaxPoints),
                 "History points fitted: spacing × points is the trend's memory."),
      choice<T>(
          "unit", &T::unit,
          {{"seconds", "seconds"}, {"minutes", "minutes"}, {"hours", "hours"}, {"days", "days"}},
          "Unit of the predicted life and of `horizon`."),
      text<T>("name", &T::name, "Name in predictions and alerts (`maintenance:<name>`).")
          .shown_default("`trend-<indicator>`"),
  };
  return table;
}

analytics::TrendEstimatorConfig parse_trend(const ConfigNode& node) {
  TrendEstimatorConfig t;
  read_options(node, trend_options(), t);
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

const OptionTable<MaintenanceConfig>& model_options() {
  using M = MaintenanceConfig;
  static const OptionTable<M> table = {
      text<M>("device_class", &M::device_class,
              "The mappings' `analytics_profile` this model serves.")
          .required(),
      declared<M>("model_file", "string",
                  "Model JSON; relative paths are relative to the config file. Loaded at start, "
                  "and by `check-config`; a missing or corrupt file is a config error naming "
                  "the key and the file.")
          .shown_default("one of the two"),
      declared<M>("trend", "map",
                  "A trend of one health indicator instead of a trained model: `trend.*` "
                  "below.")
          .shown_default("one of the two"),
      integer<M>("cadence_samples", &M::cadence_samples, at_least(1),
                 "Predict every N samples of a device (trend: every N history points)."),
      integer<M>("min_history", &M::min_history, at_least(1),
                 "No prediction before this many samples (trend: points, at least 5, at most "
                 "`trend.points`)."),
      number<M>("horizon", &M::horizon, above(0),
                "Raise a maintenance alert when the predicted life is below this (model unit); "
                "`critical` below half of it."),
      number<M>("clear_margin", &M::clear_margin, at_least(0),
                "Clear it when the prediction rises above horizon + margin."),
      number<M>("update_step", &M::update_step, above(0),
                "While open, report again when the prediction moved by this much."),
      integer<M>("max_devices", &M::max_devices, at_least(1),
                 "Devices beyond this get no predictions (counted in "
                 "`edgegw_maintenance_devices_refused_total`)."),
      duration<M>("idle_eviction", &M::idle_eviction_ms, above(0),
                  "A device's state is dropped after this long without a sample (by arrival "
                  "time), so that devices that come and go do not hold `max_devices` for good "
                  "(counted in `edgegw_maintenance_devices_evicted_total`). Its next sample "
                  "starts a new history; an open maintenance alert is not cleared by it."),
  };
  return table;
}

std::string model_path(const ConfigNode& node) {
  std::filesystem::path file = node.as<std::string>();
  if (file.is_relative()) {
    file = std::filesystem::path(node.file()).parent_path() / file;
  }
  return file.lexically_normal().string();
}

analytics::MaintenanceConfig parse_model(const ConfigNode& node) {
  MaintenanceConfig m;
  read_options(node, model_options(), m);
  if (node.has("model_file") == node.has("trend")) {
    node.fail("give either model_file (a trained model) or trend (no training), not both");
  }
  if (node.has("trend")) {
    m.trend = parse_trend(node.child("trend"));
  } else {
    m.model_file = model_path(node.child("model_file"));
    check_model_file(node.child("model_file"), m.model_file);
  }
  // What spans keys (min_history within trend.points, an exponential's threshold above
  // its offset) is the config's own rule.
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

std::vector<OptionDoc> describe_maintenance_model() {
  std::vector<OptionDoc> rows = describe_options(model_options());
  const std::vector<OptionDoc> trend = describe_options(trend_options(), "trend.");
  const auto after = std::find_if(rows.begin(), rows.end(),
                                  [](const OptionDoc& row) { return row.key == "trend"; });
  rows.insert(after + 1, trend.begin(), trend.end());
  return rows;
}

}  // namespace edgegw::config
