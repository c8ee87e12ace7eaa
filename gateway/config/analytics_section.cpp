#include "config/analytics_section.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <string>

namespace edgegw::config {
namespace {

using analytics::ProfileConfig;
using analytics::RuleConfig;
using analytics::Severity;

Severity parse_severity(const ConfigNode& node, Severity fallback) {
  if (!node.defined()) {
    return fallback;
  }
  const std::string s = node.as_choice({"info", "warning", "critical"});
  return s == "info" ? Severity::info : s == "warning" ? Severity::warning : Severity::critical;
}

std::uint32_t get_count(const ConfigNode& node, std::string_view key, std::uint32_t fallback) {
  const ConfigNode c = node.child(key);
  if (!c.defined()) {
    return fallback;
  }
  const std::int64_t v = c.as<std::int64_t>();
  if (v < 0 || v > UINT32_MAX) {
    c.fail("expected a non-negative count");
  }
  return static_cast<std::uint32_t>(v);
}

std::int64_t get_ms(const ConfigNode& node, std::string_view key, std::int64_t fallback) {
  const ConfigNode c = node.child(key);
  return c.defined() ? c.as_duration().count() : fallback;
}

std::vector<std::string> get_list(const ConfigNode& node, std::vector<std::string> fallback) {
  const ConfigNode c = node.child("sensors");
  return c.defined() ? c.as<std::vector<std::string>>() : fallback;
}

void parse_ewma(const ConfigNode& n, analytics::EwmaConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"enabled", "sensors", "half_life", "warmup", "false_alarm_rate", "clip", "min_std",
                "severity"});
  c.enabled = n.get<bool>("enabled", c.enabled);
  c.sensors = get_list(n, c.sensors);
  c.half_life = n.get<double>("half_life", c.half_life);
  c.warmup = get_count(n, "warmup", c.warmup);
  c.false_alarm_rate = n.get<double>("false_alarm_rate", c.false_alarm_rate);
  c.clip = n.get<double>("clip", c.clip);
  c.min_std = n.get<double>("min_std", c.min_std);
  c.severity = parse_severity(n.child("severity"), c.severity);
}

void parse_mad(const ConfigNode& n, analytics::MadConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"enabled", "sensors", "window", "warmup", "refresh_every", "false_alarm_rate",
                "min_std", "severity"});
  c.enabled = n.get<bool>("enabled", c.enabled);
  c.sensors = get_list(n, c.sensors);
  c.window = get_count(n, "window", c.window);
  c.warmup = get_count(n, "warmup", c.warmup);
  c.refresh_every = get_count(n, "refresh_every", c.refresh_every);
  c.false_alarm_rate = n.get<double>("false_alarm_rate", c.false_alarm_rate);
  c.min_std = n.get<double>("min_std", c.min_std);
  c.severity = parse_severity(n.child("severity"), c.severity);
}

void parse_rate(const ConfigNode& n, analytics::RateConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"enabled", "sensors", "half_life", "warmup", "false_alarm_rate", "max_rate",
                "min_std", "severity"});
  c.enabled = n.get<bool>("enabled", c.enabled);
  c.sensors = get_list(n, c.sensors);
  c.half_life = n.get<double>("half_life", c.half_life);
  c.warmup = get_count(n, "warmup", c.warmup);
  c.false_alarm_rate = n.get<double>("false_alarm_rate", c.false_alarm_rate);
  if (n.has("max_rate")) {
    c.max_rate = n.child("max_rate").as<double>();
  }
  c.min_std = n.get<double>("min_std", c.min_std);
  c.severity = parse_severity(n.child("severity"), c.severity);
}

void parse_stuck(const ConfigNode& n, analytics::StuckConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"enabled", "sensors", "min_samples", "min_duration", "tolerance", "severity"});
  c.enabled = n.get<bool>("enabled", c.enabled);
  c.sensors = get_list(n, c.sensors);
  c.min_samples = get_count(n, "min_samples", c.min_samples);
  c.min_duration_ms = get_ms(n, "min_duration", c.min_duration_ms);
  c.tolerance = n.get<double>("tolerance", c.tolerance);
  c.severity = parse_severity(n.child("severity"), c.severity);
}

void parse_silence(const ConfigNode& n, analytics::SilenceConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"enabled", "intervals", "min_silence", "warmup", "severity"});
  c.enabled = n.get<bool>("enabled", c.enabled);
  c.intervals = n.get<double>("intervals", c.intervals);
  c.min_silence_ms = get_ms(n, "min_silence", c.min_silence_ms);
  c.warmup = get_count(n, "warmup", c.warmup);
  c.severity = parse_severity(n.child("severity"), c.severity);
}

void parse_multivariate(const ConfigNode& n, analytics::MultivariateConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"mahalanobis", "pca", "sensors", "half_life", "warmup", "refresh_every",
                "shrinkage", "pca_variance", "false_alarm_rate", "severity"});
  c.mahalanobis = n.get<bool>("mahalanobis", c.mahalanobis);
  c.pca = n.get<bool>("pca", c.pca);
  c.sensors = get_list(n, c.sensors);
  c.half_life = n.get<double>("half_life", c.half_life);
  c.warmup = get_count(n, "warmup", c.warmup);
  c.refresh_every = get_count(n, "refresh_every", c.refresh_every);
  if (n.has("shrinkage")) {
    const ConfigNode s = n.child("shrinkage");
    if (s.as<std::string>() == "auto") {
      c.shrinkage.reset();
    } else {
      c.shrinkage = s.as<double>();
    }
  }
  c.pca_variance = n.get<double>("pca_variance", c.pca_variance);
  c.false_alarm_rate = n.get<double>("false_alarm_rate", c.false_alarm_rate);
  c.severity = parse_severity(n.child("severity"), c.severity);
}

void parse_anomaly(const ConfigNode& n, analytics::AnomalyConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"enabled", "sensors", "window", "memory", "neighbours", "half_life", "warmup",
                "seasonality", "learning", "horizon", "refractory", "threshold", "severity"});
  c.enabled = n.get<bool>("enabled", c.enabled);
  c.sensors = get_list(n, c.sensors);
  c.window = get_count(n, "window", c.window);
  c.memory = get_count(n, "memory", c.memory);
  c.neighbours = get_count(n, "neighbours", c.neighbours);
  c.half_life = n.get<double>("half_life", c.half_life);
  c.warmup = get_count(n, "warmup", c.warmup);
  c.seasonality = n.get<bool>("seasonality", c.seasonality);
  c.learning = get_count(n, "learning", c.learning);
  c.horizon = get_count(n, "horizon", c.horizon);
  c.refractory = get_count(n, "refractory", c.refractory);
  c.threshold = n.get<double>("threshold", c.threshold);
  c.severity = parse_severity(n.child("severity"), c.severity);
}

void parse_baseline(const ConfigNode& n, analytics::BaselineConfig& c) {
  if (!n.defined()) {
    return;
  }
  n.check_keys({"samples", "duration"});
  c.samples = get_count(n, "samples", c.samples);
  c.duration_ms = get_ms(n, "duration", c.duration_ms);
}

// "temperature > 90" (also >=, <, <=): sensor, direction, threshold.
void parse_when(const ConfigNode& n, RuleConfig& r) {
  const std::string text = n.as<std::string>();
  const std::size_t op = text.find_first_of("<>");
  if (op == std::string::npos) {
    n.fail("expected '<sensor> > <number>' or '<sensor> < <number>'");
  }
  std::size_t value_at = op + 1;
  if (value_at < text.size() && text[value_at] == '=') {
    ++value_at;
  }
  const auto trim = [](std::string s) {
    const std::size_t b = s.find_first_not_of(' ');
    const std::size_t e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  r.sensor = trim(text.substr(0, op));
  r.op = text[op] == '>' ? analytics::RuleOp::above : analytics::RuleOp::below;
  const std::string number = trim(text.substr(value_at));
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), r.threshold);
  if (r.sensor.empty() || ec != std::errc() || ptr != number.data() + number.size()) {
    n.fail(fmt::format("cannot read '{}': expected '<sensor> > <number>'", text));
  }
}

void parse_rules(const ConfigNode& n, std::vector<RuleConfig>& rules) {
  if (!n.defined()) {
    return;
  }
  rules.clear();  // a profile's rules replace the default profile's
  for (const ConfigNode& item : n.items()) {
    item.check_keys({"name", "when", "sensor", "above", "below", "for", "clear", "severity"});
    RuleConfig r;
    r.name = item.required("name").as<std::string>();
    if (item.has("when")) {
      parse_when(item.child("when"), r);
    } else {
      r.sensor = item.required("sensor").as<std::string>();
      if (item.has("above") == item.has("below")) {
        item.fail("needs `when: \"<sensor> > <number>\"`, or `sensor` with one of above/below");
      }
      r.op = item.has("above") ? analytics::RuleOp::above : analytics::RuleOp::below;
      r.threshold = item.child(item.has("above") ? "above" : "below").as<double>();
    }
    r.for_ms = get_ms(item, "for", 0);
    if (item.has("clear")) {
      r.clear = item.child("clear").as<double>();
    }
    r.severity = parse_severity(item.child("severity"), Severity::warning);
    rules.push_back(std::move(r));
  }
}

ProfileConfig parse_profile(const ConfigNode& n, ProfileConfig p) {
  n.check_keys(
      {"baseline", "anomaly", "ewma", "mad", "rate", "stuck", "silence", "multivariate", "rules"});
  parse_baseline(n.child("baseline"), p.baseline);
  parse_anomaly(n.child("anomaly"), p.anomaly);
  parse_ewma(n.child("ewma"), p.ewma);
  parse_mad(n.child("mad"), p.mad);
  parse_rate(n.child("rate"), p.rate);
  parse_stuck(n.child("stuck"), p.stuck);
  parse_silence(n.child("silence"), p.silence);
  parse_multivariate(n.child("multivariate"), p.multivariate);
  parse_rules(n.child("rules"), p.rules);
  return p;
}

// Fails at the node that analytics::validate() names ("analytics.profiles.x.rules[0].clear:
// why"), so that the message carries its line; the deepest node present when the key
// itself is absent (a default that conflicts with a given value).
[[noreturn]] void fail_at(const ConfigNode& section, const std::string& error) {
  const std::size_t colon = error.find(": ");
  std::string path = colon == std::string::npos ? "" : error.substr(0, colon);
  const std::string why = colon == std::string::npos ? error : error.substr(colon + 2);
  const std::string prefix = "analytics.";
  if (path.rfind(prefix, 0) != 0) {
    section.fail(error);
  }
  path.erase(0, prefix.size());
  ConfigNode at = section;
  std::size_t begin = 0;
  while (begin < path.size()) {
    std::size_t end = path.find('.', begin);
    // Profile names may not contain dots; rule indexes look like rules[3].
    std::string part =
        path.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    int index = -1;
    if (const std::size_t bracket = part.find('['); bracket != std::string::npos) {
      index = std::atoi(part.c_str() + bracket + 1);
      part.resize(bracket);
    }
    ConfigNode next = at.child(part);
    if (!next.defined()) {
      break;
    }
    if (index >= 0) {
      const std::vector<ConfigNode> items = next.items();
      if (static_cast<std::size_t>(index) >= items.size()) {
        break;
      }
      next = items[static_cast<std::size_t>(index)];
    }
    at = next;
    begin = end == std::string::npos ? path.size() : end + 1;
  }
  at.fail(begin >= path.size() ? why : error);
}

}  // namespace

analytics::AnalyticsConfig parse_analytics_section(const ConfigNode& node) {
  analytics::AnalyticsConfig c;
  if (!node.defined()) {
    analytics::validate(c);
    return c;
  }
  node.check_keys({"enabled", "window", "allowed_lateness", "idle_eviction", "max_devices",
                   "max_sensors_per_device", "alert_update_interval", "clear_after_samples",
                   "checkpoint_interval", "profiles", "maintenance"});
  c.enabled = node.get<bool>("enabled", true);
  c.window_ms = get_ms(node, "window", c.window_ms);
  c.allowed_lateness_ms = get_ms(node, "allowed_lateness", c.allowed_lateness_ms);
  c.idle_eviction_ms = get_ms(node, "idle_eviction", c.idle_eviction_ms);
  c.max_devices = get_count(node, "max_devices", c.max_devices);
  c.max_sensors_per_device = get_count(node, "max_sensors_per_device", c.max_sensors_per_device);
  c.alert_update_interval_ms = get_ms(node, "alert_update_interval", c.alert_update_interval_ms);
  c.clear_after_samples = get_count(node, "clear_after_samples", c.clear_after_samples);
  if (const ConfigNode interval = node.child("checkpoint_interval"); interval.defined()) {
    c.checkpoint_interval_ms = interval.as_duration_or_none().count();
  }
  const ConfigNode profiles = node.child("profiles");
  // Other profiles start from the default profile, so they only say what differs.
  ProfileConfig base;
  if (profiles.defined() && profiles.has(analytics::kDefaultProfile)) {
    base = parse_profile(profiles.child(analytics::kDefaultProfile), base);
  }
  c.profiles[analytics::kDefaultProfile] = base;
  if (profiles.defined()) {
    for (const auto& [name, profile] : profiles.entries()) {
      if (name != analytics::kDefaultProfile) {
        c.profiles[name] = parse_profile(profile, base);
      }
    }
  }
  const std::vector<std::string> errors = analytics::validate(c);
  if (!errors.empty()) {
    fail_at(node, errors.front());
  }
  return c;
}

}  // namespace edgegw::config
