#include "fleet_config.hpp"

#include <charconv>
#include <string>

#include "edgegw/time_format.hpp"

namespace edgegw::sim {
namespace {

constexpr std::array<std::string_view, 4> kClassNames{"pump", "motor", "compressor", "field"};
constexpr std::array<std::string_view, 4> kFormatNames{"json", "csv", "bare", "sparkplug"};
constexpr std::array<std::string_view, kAnomalyKindCount> kAnomalyNames{
    "spike", "level_shift", "drift", "stuck", "noise_burst", "broken_correlation", "dropout"};
constexpr std::array<std::string_view, kFieldFaultKindCount> kFieldFaultNames{
    "sensor_drift", "dry_out", "battery_failure"};
constexpr std::array<std::string_view, kBadPayloadKindCount> kBadPayloadNames{
    "malformed", "wrong_type", "out_of_range", "oversized"};

[[noreturn]] void fail(const std::string& key, const std::string& problem) {
  throw FleetConfigError(key + ": " + problem, key);
}

void validate_spec(const AnomalySpec& s, const std::string& key) {
  if (s.rate_per_hour < 0.0 || s.magnitude < 0.0) {
    fail(key, "rate_per_hour and magnitude must be >= 0");
  }
  if (s.min_duration_s < 0.0 || s.max_duration_s < s.min_duration_s) {
    fail(key + ".duration_s", "needs 0 <= min <= max");
  }
}

void validate_topic(const ClassConfig& c, const std::string& key) {
  if (c.topic.find("{device}") == std::string::npos) {
    fail(key, "must contain {device} so that topics differ per device");
  }
  const bool has_sensor = c.topic.find("{sensor}") != std::string::npos;
  if (c.format == PayloadFormat::bare && !has_sensor) {
    fail(key, "format bare publishes one topic per sensor: it needs {sensor}");
  }
  if (c.format != PayloadFormat::bare && has_sensor) {
    fail(key, "{sensor} is only meaningful with format bare");
  }
}

// The topic of a Sparkplug device is the specification's: only its group is ours.
void validate_sparkplug(const SparkplugClassConfig& s, const std::string& key) {
  if (s.group.empty() || s.group.find_first_of("/+#") != std::string::npos) {
    fail(key + ".group", "'" + s.group + "' must be non-empty and contain no '/', '+' or '#'");
  }
  if (s.devices_per_node < 1 || s.devices_per_node > 10000) {
    fail(key + ".devices_per_node", "must be between 1 and 10000");
  }
}

}  // namespace

std::string_view class_name(DeviceClass c) {
  return kClassNames.at(static_cast<std::size_t>(c));
}
std::string_view format_name(PayloadFormat f) {
  return kFormatNames.at(static_cast<std::size_t>(f));
}
std::string_view anomaly_name(AnomalyKind k) {
  return kAnomalyNames.at(static_cast<std::size_t>(k));
}
std::string_view bad_payload_name(BadPayloadKind k) {
  return kBadPayloadNames.at(static_cast<std::size_t>(k));
}
std::string_view field_fault_name(FieldFaultKind k) {
  return kFieldFaultNames.at(static_cast<std::size_t>(k));
}

std::optional<DeviceClass> class_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kClassNames.size(); ++i) {
    if (kClassNames.at(i) == name) {
      return static_cast<DeviceClass>(i);
    }
  }
  return std::nullopt;
}

std::optional<PayloadFormat> format_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kFormatNames.size(); ++i) {
    if (kFormatNames.at(i) == name) {
      return static_cast<PayloadFormat>(i);
    }
  }
  return std::nullopt;
}

ClassConfig default_class_config(DeviceClass c) {
  ClassConfig cc;
  cc.device_class = c;
  cc.count = 2;
  switch (c) {
    case DeviceClass::pump:
      cc.format = PayloadFormat::json;
      cc.topic = "factory/{site}/pump/{device}/telemetry";
      break;
    case DeviceClass::motor:
      cc.format = PayloadFormat::csv;
      cc.topic = "factory/{site}/motor/{device}/telemetry";
      break;
    case DeviceClass::compressor:
      cc.format = PayloadFormat::bare;
      cc.topic = "factory/{site}/compressor/{device}/{sensor}";
      break;
    case DeviceClass::field:
      cc.format = PayloadFormat::json;
      cc.topic = "farm/{site}/field/{device}/telemetry";
      cc.interval_ms = 300000;  // battery-powered: one report every five minutes
      cc.wear.enabled = false;  // no bearings; its failures are the field faults
      break;
  }
  return cc;
}

AnomalyConfig default_anomalies() {
  AnomalyConfig a;
  auto set = [&a](AnomalyKind k, double rate, double magnitude, double min_s, double max_s) {
    a.kinds.at(static_cast<std::size_t>(k)) = AnomalySpec{rate, magnitude, min_s, max_s};
  };
  set(AnomalyKind::spike, 0.5, 8.0, 0.0, 0.0);
  set(AnomalyKind::level_shift, 0.1, 4.0, 300.0, 1800.0);
  set(AnomalyKind::drift, 0.1, 5.0, 900.0, 3600.0);
  set(AnomalyKind::stuck, 0.1, 0.0, 120.0, 900.0);
  set(AnomalyKind::noise_burst, 0.1, 4.0, 60.0, 300.0);
  set(AnomalyKind::broken_correlation, 0.05, 2.0, 600.0, 1800.0);
  set(AnomalyKind::dropout, 0.05, 0.0, 30.0, 300.0);
  return a;
}

FieldFaultConfig default_field_faults() {
  FieldFaultConfig f;
  auto set = [&f](FieldFaultKind k, double rate, double magnitude, double min_s, double max_s) {
    f.kinds.at(static_cast<std::size_t>(k)) = AnomalySpec{rate, magnitude, min_s, max_s};
  };
  // Rare, slow faults: a station sees a few a month.
  set(FieldFaultKind::sensor_drift, 0.004, 4.0, 6.0 * 3600, 24.0 * 3600);
  set(FieldFaultKind::dry_out, 0.004, 0.0, 6.0 * 3600, 18.0 * 3600);
  set(FieldFaultKind::battery_failure, 0.002, 0.0, 8.0 * 3600, 24.0 * 3600);
  return f;
}

BadPayloadConfig default_bad_payloads() {
  BadPayloadConfig b;
  b.rate_per_hour = {0.2, 0.2, 0.2, 0.05};
  return b;
}

FleetConfig default_fleet() {
  FleetConfig f;
  for (DeviceClass c : kMachineClasses) {
    f.classes.push_back(default_class_config(c));
  }
  f.anomalies = default_anomalies();
  f.field_faults = default_field_faults();
  f.bad_payloads = default_bad_payloads();
  return f;
}

int FleetConfig::device_count() const {
  int n = 0;
  for (const auto& c : classes) {
    n += c.count;
  }
  return n;
}

void FleetConfig::validate() const {
  if (sites.empty()) {
    fail("sites", "at least one site is needed");
  }
  for (const auto& s : sites) {
    if (s.empty() || s.find_first_of("/+#") != std::string::npos) {
      fail("sites", "site '" + s + "' must be non-empty and contain no '/', '+' or '#'");
    }
  }
  if (classes.empty() || device_count() <= 0) {
    fail("classes", "the fleet has no devices");
  }
  for (const auto& c : classes) {
    const std::string key = "classes." + std::string(class_name(c.device_class));
    if (c.count < 0 || c.count > 100000) {
      fail(key + ".count", "must be between 0 and 100000");
    }
    if (c.interval_ms < 1 || c.interval_ms > 86400000) {
      fail(key + ".interval_ms", "must be between 1 and 86400000");
    }
    if (c.qos < 0 || c.qos > 2) {
      fail(key + ".qos", "must be 0, 1 or 2");
    }
    if (c.format == PayloadFormat::sparkplug) {
      validate_sparkplug(c.sparkplug, key + ".sparkplug");
    } else {
      validate_topic(c, key + ".topic");
    }
    const auto& w = c.wear;
    if (w.enabled && (w.min_life_hours <= 0.0 || w.max_life_hours < w.min_life_hours)) {
      fail(key + ".wear.life_hours", "needs 0 < min <= max");
    }
    if (w.first_failure_minutes &&
        (w.first_failure_minutes->first < 0.0 ||
         w.first_failure_minutes->second < w.first_failure_minutes->first)) {
      fail(key + ".wear.first_failure_minutes", "needs 0 <= min <= max");
    }
    if (w.repair_minutes < 0.0 || w.shape <= 0.0 || w.volatility < 0.0) {
      fail(key + ".wear", "repair_minutes and volatility must be >= 0 and shape > 0");
    }
    if (c.device_class == DeviceClass::field && w.enabled) {
      fail(key + ".wear", "a field station has no bearings to wear: see field_faults");
    }
  }
  for (std::size_t i = 0; i < kAnomalyKindCount; ++i) {
    validate_spec(anomalies.kinds.at(i), "anomalies." + std::string(kAnomalyNames.at(i)));
  }
  for (std::size_t i = 0; i < kFieldFaultKindCount; ++i) {
    validate_spec(field_faults.kinds.at(i), "field_faults." + std::string(kFieldFaultNames.at(i)));
  }
  for (std::size_t i = 0; i < kBadPayloadKindCount; ++i) {
    if (bad_payloads.rate_per_hour.at(i) < 0.0) {
      fail("bad_payloads." + std::string(kBadPayloadNames.at(i)), "rate must be >= 0");
    }
  }
  if (bad_payloads.oversized_bytes < 1024 || bad_payloads.oversized_bytes > (64U << 20U)) {
    fail("bad_payloads.oversized_bytes", "must be between 1024 and 67108864");
  }
  if (labels.rul_every_ticks < 1) {
    fail("labels.rul_every_ticks", "must be >= 1");
  }
}

std::optional<std::int64_t> parse_time_ms(std::string_view text) {
  std::int64_t ms = 0;
  const auto* end = text.data() + text.size();
  if (auto [p, ec] = std::from_chars(text.data(), end, ms); ec == std::errc{} && p == end) {
    return ms;
  }
  if (!text.ends_with('Z') && !text.ends_with("+00:00")) {
    return std::nullopt;  // only UTC, so that a fleet file means the same everywhere
  }
  const Result<std::int64_t> parsed = parse_iso8601_ms(text);
  if (!parsed) {
    return std::nullopt;
  }
  return parsed.value();
}

}  // namespace edgegw::sim
