#pragma once
// The analytics engine the checkpoint target restores into, shared with the seed
// generator (make_seeds.cpp): a device's state is restored only when its profile's
// config is the one it was saved with, so the seeds must come from this same config.
// Every detector on, a rule, and a second profile with small windows, so that a
// checkpoint holds every kind of state; few devices, so that each input restores fast.

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::fuzz {

inline constexpr std::int64_t kCheckpointStartMs = 1'700'000'000'000;

inline analytics::AnalyticsConfig checkpoint_engine_config() {
  analytics::AnalyticsConfig c;
  c.enabled = true;
  c.max_devices = 8;
  c.max_sensors_per_device = 4;
  analytics::ProfileConfig p;
  p.anomaly.memory = 24;  // a small history keeps the seeds small
  p.anomaly.learning = 30;
  analytics::RuleConfig rule;
  rule.name = "hot";
  rule.sensor = "s0";
  rule.threshold = 60.0;
  rule.clear = 55.0;
  rule.for_ms = 2000;
  p.rules.push_back(rule);
  c.profiles[analytics::kDefaultProfile] = p;
  analytics::ProfileConfig pump = p;
  pump.mad.window = 16;
  pump.mad.warmup = 8;
  c.profiles["pump"] = pump;
  return c;
}

}  // namespace edgegw::fuzz
