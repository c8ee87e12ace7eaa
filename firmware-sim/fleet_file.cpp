// Reading a fleet file (YAML) into a FleetConfig, with the gateway's config reader and
// option tables: every key is declared once with its type and bounds, and every problem
// names the file, line and dotted key, because a user fixing a fleet file has nothing
// else to go on.

#include <fmt/format.h>

#include <fstream>
#include <string>
#include <tuple>
#include <utility>

#include "config/config_node.hpp"
#include "config/option_table.hpp"
#include "edgegw/config_error.hpp"
#include "fleet_config.hpp"

namespace edgegw::sim {
namespace {

using config::Bounds;
using config::ConfigNode;
using config::OptionTable;

// The file's keys that are not FleetConfig members: fleet-wide defaults of every class.
struct FleetFile {
  FleetConfig fleet;
  std::int64_t interval_ms = 0;  // 0: each class keeps its own default
  int qos = 1;
};

// [min, max], or a single number meaning min == max; `min` within `bounds`.
std::pair<double, double> read_range(const ConfigNode& node, const Bounds& bounds) {
  std::pair<double, double> range;
  const std::vector<ConfigNode> items = node.is_list() ? node.items() : std::vector{node};
  if (items.size() == 1) {
    range = {items[0].as<double>(), items[0].as<double>()};
  } else if (items.size() == 2) {
    range = {items[0].as<double>(), items[1].as<double>()};
  } else {
    node.fail("expected [min, max]");
  }
  if (range.second < range.first) {
    node.fail("max is below min");
  }
  if (const auto problem = config::bounds_problem(range.first, bounds, config::ValueUnit::number)) {
    node.fail("min " + *problem);
  }
  return range;
}

const OptionTable<WearConfig>& wear_options() {
  using config::at_least;
  static const OptionTable<WearConfig> table = {
      config::flag<WearConfig>("enabled", &WearConfig::enabled, "Wear process and failures."),
      config::custom<WearConfig>(
          "life_hours", "range", "Each life's length is drawn uniformly from this range.",
          [](WearConfig& w, const ConfigNode& n) {
            std::tie(w.min_life_hours, w.max_life_hours) = read_range(n, config::above(0));
          }),
      config::custom<WearConfig>("first_failure_minutes", "range",
                                 "The first failure of each device comes this many minutes "
                                 "after the start.",
                                 [](WearConfig& w, const ConfigNode& n) {
                                   w.first_failure_minutes = read_range(n, at_least(0));
                                 }),
      config::number<WearConfig>("repair_minutes", &WearConfig::repair_minutes, at_least(0),
                                 "Fault state duration after a failure."),
      config::number<WearConfig>("shape", &WearConfig::shape, config::above(0),
                                 "Wear ≈ (age/life)^shape."),
      config::number<WearConfig>("volatility", &WearConfig::volatility, at_least(0),
                                 "Size of the random excursions around that curve."),
  };
  return table;
}

const OptionTable<ClassConfig>& class_options() {
  static const OptionTable<ClassConfig> table = {
      config::integer<ClassConfig>("count", &ClassConfig::count, config::between(0, 100000),
                                   "Devices of this class."),
      config::choice<ClassConfig>("format", &ClassConfig::format,
                                  {{"json", PayloadFormat::json},
                                   {"csv", PayloadFormat::csv},
                                   {"bare", PayloadFormat::bare},
                                   {"sparkplug", PayloadFormat::sparkplug}},
                                  "Payload format."),
      config::text<ClassConfig>("topic", &ClassConfig::topic,
                                "Template: {site}, {class}, {device}, and {sensor} for bare "
                                "(not for sparkplug: the specification's)."),
      config::integer<ClassConfig>("interval_ms", &ClassConfig::interval_ms,
                                   config::between(1, 86400000), "Publish interval."),
      config::integer<ClassConfig>("qos", &ClassConfig::qos, config::between(0, 2), "MQTT QoS."),
      config::declared<ClassConfig>("wear", "map", "The wear process."),
      config::declared<ClassConfig>("sparkplug", "map", "Format sparkplug: group, nodes."),
  };
  return table;
}

const OptionTable<SparkplugClassConfig>& sparkplug_options() {
  static const OptionTable<SparkplugClassConfig> table = {
      config::text<SparkplugClassConfig>("group", &SparkplugClassConfig::group,
                                         "The Sparkplug group id of the class's edge nodes."),
      config::integer<SparkplugClassConfig>("devices_per_node",
                                            &SparkplugClassConfig::devices_per_node,
                                            config::between(1, 10000), "Devices per edge node."),
  };
  return table;
}

const OptionTable<AnomalySpec>& anomaly_spec_options() {
  using config::at_least;
  static const OptionTable<AnomalySpec> table = {
      config::number<AnomalySpec>("rate_per_hour", &AnomalySpec::rate_per_hour, at_least(0),
                                  "Expected starts per device per hour of event time."),
      config::number<AnomalySpec>("magnitude", &AnomalySpec::magnitude, at_least(0),
                                  "In units of the sensor's scale."),
      config::custom<AnomalySpec>("duration_s", "range", "[min, max] seconds.",
                                  [](AnomalySpec& s, const ConfigNode& n) {
                                    std::tie(s.min_duration_s, s.max_duration_s) =
                                        read_range(n, at_least(0));
                                  }),
  };
  return table;
}

OptionTable<AnomalyConfig> make_anomaly_options() {
  OptionTable<AnomalyConfig> table = {
      config::flag<AnomalyConfig>("enabled", &AnomalyConfig::enabled,
                                  "All signal anomalies and dropouts."),
  };
  for (std::size_t i = 0; i < kAnomalyKindCount; ++i) {
    table.push_back(config::custom<AnomalyConfig>(
        anomaly_name(static_cast<AnomalyKind>(i)), "map", "One kind of anomaly.",
        [i](AnomalyConfig& a, const ConfigNode& n) {
          config::read_options(n, anomaly_spec_options(), a.kinds.at(i));
        }));
  }
  return table;
}

OptionTable<FieldFaultConfig> make_field_fault_options() {
  OptionTable<FieldFaultConfig> table = {
      config::flag<FieldFaultConfig>("enabled", &FieldFaultConfig::enabled,
                                     "All faults of field stations."),
  };
  for (std::size_t i = 0; i < kFieldFaultKindCount; ++i) {
    table.push_back(config::custom<FieldFaultConfig>(
        field_fault_name(static_cast<FieldFaultKind>(i)), "map", "One kind of field fault.",
        [i](FieldFaultConfig& f, const ConfigNode& n) {
          config::read_options(n, anomaly_spec_options(), f.kinds.at(i));
        }));
  }
  return table;
}

OptionTable<BadPayloadConfig> make_bad_payload_options() {
  OptionTable<BadPayloadConfig> table = {
      config::flag<BadPayloadConfig>("enabled", &BadPayloadConfig::enabled, "All bad payloads."),
      config::integer<BadPayloadConfig>("oversized_bytes", &BadPayloadConfig::oversized_bytes,
                                        config::between(1024, 64U << 20U),
                                        "Size of oversized payloads."),
  };
  for (std::size_t i = 0; i < kBadPayloadKindCount; ++i) {
    table.push_back(config::number<BadPayloadConfig>(
        bad_payload_name(static_cast<BadPayloadKind>(i)),
        [i](BadPayloadConfig& b) -> double& { return b.rate_per_hour.at(i); }, config::at_least(0),
        "Rate per device per hour."));
  }
  return table;
}

const OptionTable<LabelsConfig>& label_options() {
  static const OptionTable<LabelsConfig> table = {
      config::integer<LabelsConfig>("rul_every_ticks", &LabelsConfig::rul_every_ticks,
                                    config::at_least(1), "One rul label per device every N ticks."),
  };
  return table;
}

void read_start_time(FleetFile& f, const ConfigNode& node) {
  const std::optional<std::int64_t> ms = parse_time_ms(node.as<std::string>());
  if (!ms) {
    node.fail("expected UTC time like 2024-01-01T00:00:00Z or epoch milliseconds");
  }
  f.fleet.start_ms = *ms;
}

void read_sites(FleetFile& f, const ConfigNode& node) {
  f.fleet.sites = node.as<std::vector<std::string>>();
  if (f.fleet.sites.empty()) {
    node.fail("expected a non-empty list of site names");
  }
}

// Each listed class starts from its own defaults and the fleet-wide interval and QoS.
void read_classes(FleetFile& f, const ConfigNode& node) {
  node.check_keys({"pump", "motor", "compressor", "field"});
  for (const auto& [name, class_node] : node.entries()) {
    ClassConfig c = default_class_config(*class_from_name(name));
    c.interval_ms = f.interval_ms > 0 ? f.interval_ms : c.interval_ms;
    c.qos = f.qos;
    config::read_options(class_node, class_options(), c);
    config::read_options(class_node.child("wear"), wear_options(), c.wear);
    config::read_options(class_node.child("sparkplug"), sparkplug_options(), c.sparkplug);
    f.fleet.classes.push_back(std::move(c));
  }
}

const OptionTable<FleetFile>& fleet_options() {
  static const OptionTable<AnomalyConfig> anomaly_options = make_anomaly_options();
  static const OptionTable<FieldFaultConfig> field_fault_options = make_field_fault_options();
  static const OptionTable<BadPayloadConfig> bad_payload_options = make_bad_payload_options();
  static const OptionTable<FleetFile> table = {
      config::integer<FleetFile>(
          "seed", [](FleetFile& f) -> std::uint64_t& { return f.fleet.seed; }, {}, "Random seed."),
      config::custom<FleetFile>("start_time", "time", "Simulated clock start.", read_start_time),
      config::custom<FleetFile>("sites", "list of strings", "Site names.", read_sites),
      // Before `classes`, whose classes inherit them.
      config::integer<FleetFile>("interval_ms", &FleetFile::interval_ms,
                                 config::between(1, 86400000),
                                 "Publish interval, default for every class."),
      config::integer<FleetFile>("qos", &FleetFile::qos, config::between(0, 2),
                                 "MQTT QoS, default for every class."),
      config::custom<FleetFile>("classes", "map", "The device classes.", read_classes).required(),
      config::custom<FleetFile>("anomalies", "map", "Signal anomalies and dropouts.",
                                [](FleetFile& f, const ConfigNode& n) {
                                  config::read_options(n, anomaly_options, f.fleet.anomalies);
                                }),
      config::custom<FleetFile>("field_faults", "map", "Faults of field stations.",
                                [](FleetFile& f, const ConfigNode& n) {
                                  config::read_options(n, field_fault_options,
                                                       f.fleet.field_faults);
                                }),
      config::custom<FleetFile>("bad_payloads", "map", "Bad payloads.",
                                [](FleetFile& f, const ConfigNode& n) {
                                  config::read_options(n, bad_payload_options,
                                                       f.fleet.bad_payloads);
                                }),
      config::custom<FleetFile>("labels", "map", "Ground-truth labels.",
                                [](FleetFile& f, const ConfigNode& n) {
                                  config::read_options(n, label_options(), f.fleet.labels);
                                }),
  };
  return table;
}

// Reports a validation error at the offending key, or at the deepest key the file has on
// the way to it (a class's topic that comes from the class's defaults).
[[noreturn]] void fail_at_key(const ConfigNode& root, const FleetConfigError& e) {
  const std::string what = e.what();
  const std::string problem =
      what.starts_with(e.key() + ": ") ? what.substr(e.key().size() + 2) : what;
  ConfigNode at = root;
  std::string_view key = e.key();
  while (!key.empty()) {
    const std::size_t dot = key.find('.');
    at = at.child(key.substr(0, dot));
    key = dot == std::string_view::npos ? std::string_view{} : key.substr(dot + 1);
  }
  at.fail(problem);
}

FleetConfig parse_fleet(const ConfigNode& root) {
  if (!root.defined()) {
    // An empty file (or only comments) has no position but its start.
    root.fail("the fleet file is empty: it needs at least `classes:`");
  }
  FleetFile file;
  file.fleet.anomalies = default_anomalies();
  file.fleet.field_faults = default_field_faults();
  file.fleet.bad_payloads = default_bad_payloads();
  config::read_options(root, fleet_options(), file);
  try {
    file.fleet.validate();
  } catch (const FleetConfigError& e) {
    fail_at_key(root, e);
  }
  return file.fleet;
}

}  // namespace

FleetConfig parse_fleet_yaml(std::string_view text, std::string_view source_name) {
  try {
    return parse_fleet(ConfigNode::load_string(std::string(text), std::string(source_name)));
  } catch (const config::ConfigError& e) {
    throw FleetConfigError(e.what());
  }
}

FleetConfig load_fleet_file(const std::filesystem::path& path) {
  if (!std::ifstream(path)) {
    throw FleetConfigError(path.string() + ": cannot open the fleet file");
  }
  try {
    return parse_fleet(ConfigNode::load_file(path.string()));
  } catch (const config::ConfigError& e) {
    throw FleetConfigError(e.what());
  }
}

}  // namespace edgegw::sim
