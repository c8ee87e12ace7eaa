// Reading a fleet file (YAML) into a FleetConfig. Every problem names the file, line,
// column and dotted key, because a user fixing a fleet file has nothing else to go on.

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>

#include "fleet_config.hpp"

namespace edgegw::sim {
namespace {

class YamlReader {
 public:
  explicit YamlReader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key,
                         const std::string& problem) const {
    const YAML::Mark m = at.Mark();
    std::string where = source_;
    if (m.line >= 0) {
      where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    }
    throw FleetConfigError(where + ": " + (key.empty() ? "" : key + ": ") + problem);
  }

  // Rejects keys outside `allowed`: a misspelt key silently ignored is a bug hunt later.
  void check_map(const YAML::Node& node, const std::string& key,
                 std::initializer_list<std::string_view> allowed) const {
    if (!node.IsMap()) {
      fail(node, key, "expected a mapping");
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.as<std::string>();
      bool known = false;
      std::string list;
      for (auto a : allowed) {
        known = known || a == name;
        list += (list.empty() ? "" : ", ") + std::string(a);
      }
      if (!known) {
        fail(it->first, join(key, name), "unknown key (expected one of: " + list + ")");
      }
    }
  }

  template <typename T>
  T get(const YAML::Node& node, const std::string& key, std::string_view type_name) const {
    if (!node.IsScalar()) {
      fail(node, key, "expected " + std::string(type_name));
    }
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      fail(node, key, "expected " + std::string(type_name) + ", got '" + node.Scalar() + "'");
    }
  }

  // [min, max] or a single number meaning min == max.
  std::pair<double, double> range(const YAML::Node& node, const std::string& key) const {
    if (node.IsScalar()) {
      const auto v = get<double>(node, key, "a number");
      return {v, v};
    }
    if (!node.IsSequence() || node.size() != 2) {
      fail(node, key, "expected [min, max]");
    }
    const auto lo = get<double>(node[0], key, "a number");
    const auto hi = get<double>(node[1], key, "a number");
    if (hi < lo) {
      fail(node, key, "max is below min");
    }
    return {lo, hi};
  }

  static std::string join(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
  }

 private:
  std::string source_;
};

void read_wear(const YamlReader& r, const YAML::Node& n, const std::string& key, WearConfig& w) {
  r.check_map(
      n, key,
      {"enabled", "life_hours", "first_failure_minutes", "repair_minutes", "shape", "volatility"});
  if (n["enabled"]) {
    w.enabled = r.get<bool>(n["enabled"], key + ".enabled", "true or false");
  }
  if (n["life_hours"]) {
    std::tie(w.min_life_hours, w.max_life_hours) = r.range(n["life_hours"], key + ".life_hours");
    if (w.min_life_hours <= 0.0) {
      r.fail(n["life_hours"], key + ".life_hours", "must be > 0");
    }
  }
  if (n["first_failure_minutes"]) {
    w.first_failure_minutes = r.range(n["first_failure_minutes"], key + ".first_failure_minutes");
  }
  if (n["repair_minutes"]) {
    w.repair_minutes = r.get<double>(n["repair_minutes"], key + ".repair_minutes", "a number");
  }
  if (n["shape"]) {
    w.shape = r.get<double>(n["shape"], key + ".shape", "a number");
  }
  if (n["volatility"]) {
    w.volatility = r.get<double>(n["volatility"], key + ".volatility", "a number");
  }
}

void read_class(const YamlReader& r, const YAML::Node& n, const std::string& key, ClassConfig& c) {
  r.check_map(n, key, {"count", "format", "topic", "interval_ms", "qos", "wear"});
  if (n["count"]) {
    c.count = r.get<int>(n["count"], key + ".count", "an integer");
    if (c.count < 0) {
      r.fail(n["count"], key + ".count", "must be >= 0");
    }
  }
  if (n["format"]) {
    const auto name = r.get<std::string>(n["format"], key + ".format", "a format name");
    const auto f = format_from_name(name);
    if (!f) {
      r.fail(n["format"], key + ".format", "unknown format '" + name + "' (json, csv, bare)");
    }
    c.format = *f;
  }
  if (n["topic"]) {
    c.topic = r.get<std::string>(n["topic"], key + ".topic", "a topic template");
  }
  if (n["interval_ms"]) {
    c.interval_ms = r.get<std::int64_t>(n["interval_ms"], key + ".interval_ms", "an integer");
  }
  if (n["qos"]) {
    c.qos = r.get<int>(n["qos"], key + ".qos", "0, 1 or 2");
  }
  if (n["wear"]) {
    read_wear(r, n["wear"], key + ".wear", c.wear);
  }
}

void read_anomalies(const YamlReader& r, const YAML::Node& n, AnomalyConfig& a) {
  r.check_map(n, "anomalies",
              {"enabled", "spike", "level_shift", "drift", "stuck", "noise_burst",
               "broken_correlation", "dropout"});
  if (n["enabled"]) {
    a.enabled = r.get<bool>(n["enabled"], "anomalies.enabled", "true or false");
  }
  for (std::size_t i = 0; i < kAnomalyKindCount; ++i) {
    const std::string name(anomaly_name(static_cast<AnomalyKind>(i)));
    const YAML::Node k = n[name];
    if (!k) {
      continue;
    }
    const std::string key = "anomalies." + name;
    auto& spec = a.kinds.at(i);
    r.check_map(k, key, {"rate_per_hour", "magnitude", "duration_s"});
    if (k["rate_per_hour"]) {
      spec.rate_per_hour = r.get<double>(k["rate_per_hour"], key + ".rate_per_hour", "a number");
    }
    if (k["magnitude"]) {
      spec.magnitude = r.get<double>(k["magnitude"], key + ".magnitude", "a number");
    }
    if (k["duration_s"]) {
      std::tie(spec.min_duration_s, spec.max_duration_s) =
          r.range(k["duration_s"], key + ".duration_s");
    }
  }
}

void read_bad_payloads(const YamlReader& r, const YAML::Node& n, BadPayloadConfig& b) {
  r.check_map(
      n, "bad_payloads",
      {"enabled", "malformed", "wrong_type", "out_of_range", "oversized", "oversized_bytes"});
  if (n["enabled"]) {
    b.enabled = r.get<bool>(n["enabled"], "bad_payloads.enabled", "true or false");
  }
  for (std::size_t i = 0; i < kBadPayloadKindCount; ++i) {
    const std::string name(bad_payload_name(static_cast<BadPayloadKind>(i)));
    if (n[name]) {
      b.rate_per_hour.at(i) =
          r.get<double>(n[name], "bad_payloads." + name, "a rate per device per hour");
    }
  }
  if (n["oversized_bytes"]) {
    b.oversized_bytes =
        r.get<std::size_t>(n["oversized_bytes"], "bad_payloads.oversized_bytes", "an integer");
  }
}

// The node of a dotted key ("classes.pump.qos"), and whether the file has it all.
std::pair<YAML::Node, bool> locate(const YAML::Node& root, std::string_view key) {
  // Node::reset rebinds; operator= would overwrite the node's content.
  YAML::Node at;
  at.reset(root);
  while (!key.empty() && at.IsMap()) {
    const auto dot = key.find('.');
    const YAML::Node& current = at;
    const YAML::Node next = current[std::string(key.substr(0, dot))];
    if (!next) {
      return {at, false};
    }
    at.reset(next);
    key = dot == std::string_view::npos ? std::string_view{} : key.substr(dot + 1);
  }
  return {at, key.empty()};
}

// Reports a validation error at the offending key when the file has it. A class's
// interval_ms or qos may come from the fleet-wide default: then that line is at fault.
[[noreturn]] void fail_at_key(const YamlReader& r, const YAML::Node& root,
                              const FleetConfigError& e) {
  const std::string what = e.what();
  const std::string problem =
      what.starts_with(e.key() + ": ") ? what.substr(e.key().size() + 2) : what;
  const auto [at, found] = locate(root, e.key());
  const std::string last = e.key().substr(e.key().rfind('.') + 1);
  const bool inherited =
      e.key().starts_with("classes.") && (last == "qos" || last == "interval_ms");
  if (!found && inherited && root[last]) {
    r.fail(root[last], last,
           problem + " (inherited by " + e.key().substr(0, e.key().rfind('.')) + ")");
  }
  r.fail(at, e.key(), problem);
}

}  // namespace

FleetConfig parse_fleet_yaml(std::string_view text, std::string_view source_name) {
  const YamlReader r(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw FleetConfigError(std::string(source_name) + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) {
    // An empty file (or only comments) has no position to point at.
    throw FleetConfigError(std::string(source_name) +
                           ":1:1: the fleet file is empty: it needs at least `classes:`");
  }
  r.check_map(root, "",
              {"seed", "start_time", "sites", "interval_ms", "qos", "classes", "anomalies",
               "bad_payloads", "labels"});

  FleetConfig f;
  f.anomalies = default_anomalies();
  f.bad_payloads = default_bad_payloads();
  if (root["seed"]) {
    f.seed = r.get<std::uint64_t>(root["seed"], "seed", "a non-negative integer");
  }
  if (root["start_time"]) {
    const auto text_time = r.get<std::string>(root["start_time"], "start_time", "a time");
    const auto ms = parse_time_ms(text_time);
    if (!ms) {
      r.fail(root["start_time"], "start_time",
             "expected UTC time like 2024-01-01T00:00:00Z or epoch milliseconds");
    }
    f.start_ms = *ms;
  }
  if (root["sites"]) {
    const YAML::Node s = root["sites"];
    if (!s.IsSequence() || s.size() == 0) {
      r.fail(s, "sites", "expected a non-empty list of site names");
    }
    f.sites.clear();
    for (const auto& site : s) {
      f.sites.push_back(r.get<std::string>(site, "sites", "a site name"));
    }
  }
  // Fleet-wide interval and QoS are defaults that a class may override.
  std::int64_t interval_ms = 1000;
  int qos = 1;
  if (root["interval_ms"]) {
    interval_ms = r.get<std::int64_t>(root["interval_ms"], "interval_ms", "an integer");
  }
  if (root["qos"]) {
    qos = r.get<int>(root["qos"], "qos", "0, 1 or 2");
  }
  const YAML::Node classes = root["classes"];
  if (!classes) {
    r.fail(root, "classes", "missing: the fleet file must list device classes");
  }
  r.check_map(classes, "classes", {"pump", "motor", "compressor"});
  for (auto it = classes.begin(); it != classes.end(); ++it) {
    const auto name = it->first.as<std::string>();
    ClassConfig c = default_class_config(*class_from_name(name));
    c.interval_ms = interval_ms;
    c.qos = qos;
    read_class(r, it->second, "classes." + name, c);
    f.classes.push_back(c);
  }
  if (root["anomalies"]) {
    read_anomalies(r, root["anomalies"], f.anomalies);
  }
  if (root["bad_payloads"]) {
    read_bad_payloads(r, root["bad_payloads"], f.bad_payloads);
  }
  if (root["labels"]) {
    r.check_map(root["labels"], "labels", {"rul_every_ticks"});
    if (root["labels"]["rul_every_ticks"]) {
      f.labels.rul_every_ticks =
          r.get<int>(root["labels"]["rul_every_ticks"], "labels.rul_every_ticks", "an integer");
    }
  }
  try {
    f.validate();
  } catch (const FleetConfigError& e) {
    fail_at_key(r, root, e);
  }
  return f;
}

FleetConfig load_fleet_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw FleetConfigError(path.string() + ": cannot open the fleet file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_fleet_yaml(text.str(), path.string());
}

}  // namespace edgegw::sim
