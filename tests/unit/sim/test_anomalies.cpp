#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "sensor_catalog.hpp"
#include "sim_test_support.hpp"

using namespace edgegw::sim;
using namespace edgegw::sim::test;

namespace {

// One device with frequent anomalies, and the same device without them. The anomaly stream is
// separate from the signal's, so the clean run is the anomalous run minus the anomalies.
struct Pair {
  std::map<std::int64_t, DecodedTick> faulty;  // by event time
  std::map<std::int64_t, DecodedTick> clean;
  std::vector<Label> labels;
};

Pair make_pair(DeviceClass device_class, std::uint64_t seed) {
  FleetConfig f = small_fleet({device_class}, seed);
  f.bad_payloads.enabled = false;
  f.classes[0].wear.enabled = false;
  for (auto& k : f.anomalies.kinds) {
    k.rate_per_hour = 8.0;
    k.max_duration_s = std::min(k.max_duration_s, 300.0);
    k.min_duration_s = std::min(k.min_duration_s, 30.0);
  }
  FleetConfig clean = f;
  clean.anomalies.enabled = false;
  Pair p;
  const auto a = generate(f, 40000);
  const auto b = generate(clean, 40000);
  for (const auto& t : decode_all(a.messages)) {
    p.faulty[t.ts_ms] = t;
  }
  for (const auto& t : decode_all(b.messages)) {
    p.clean[t.ts_ms] = t;
  }
  p.labels = a.labels;
  return p;
}

const SensorSpec& spec_of(DeviceClass device_class, const std::string& sensor) {
  for (const auto& s : sensors_of(device_class)) {
    if (s.name == sensor) {
      return s;
    }
  }
  FAIL("unknown sensor " << sensor);
  throw;
}

bool clamped(double v, const SensorSpec& s) {
  return v <= s.min_valid || v >= s.max_valid;
}

}  // namespace

TEST_CASE("labelled anomalies are in the data where the labels say, and nowhere else", "[unit]") {
  // Every payload format: nested JSON (pump), CSV (motor), bare numbers (compressor).
  const DeviceClass device_class =
      GENERATE(DeviceClass::pump, DeviceClass::motor, DeviceClass::compressor);
  INFO(class_name(device_class));
  const Pair p = make_pair(device_class, 21);
  std::map<std::string, int> seen;
  // (sensor, ts) covered by some window: everything else must equal the clean run.
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> windows;
  std::map<std::int64_t, std::int64_t> dropout_ends;  // end → start
  for (const Label& l : p.labels) {
    if (l.kind == "dropout") {
      dropout_ends[l.end_ms] = l.start_ms;
    }
  }
  for (const Label& l : p.labels) {
    if (l.type != LabelType::anomaly) {
      continue;
    }
    ++seen[l.kind];
    windows[l.sensor].emplace_back(l.start_ms, l.end_ms);
    INFO(to_json_line(l));
    if (l.kind == "dropout") {
      // Silent for the whole window, present just before and after.
      for (auto it = p.faulty.lower_bound(l.start_ms);
           it != p.faulty.end() && it->first <= l.end_ms; ++it) {
        FAIL("message inside a dropout at " << it->first);
      }
      CHECK(p.clean.count(l.start_ms) == 1);
      // (unless another dropout ended just before: one starts as soon as one ends)
      if (l.start_ms > 1704067200000 && dropout_ends.count(l.start_ms - 1000) == 0) {
        CHECK(p.faulty.count(l.start_ms - 1000) == 1);
      }
      continue;
    }
    const SensorSpec& s = spec_of(device_class, l.sensor);
    const double tolerance = 2.5 * std::pow(10.0, -s.decimals);
    std::vector<double> in_window;
    for (auto it = p.faulty.lower_bound(l.start_ms); it != p.faulty.end() && it->first <= l.end_ms;
         ++it) {
      const double v = it->second.values.at(l.sensor);
      const double clean = p.clean.at(it->first).values.at(l.sensor);
      in_window.push_back(v);
      if (clamped(v, s)) {
        continue;
      }
      if (l.kind == "spike" || l.kind == "level_shift") {
        REQUIRE(std::abs(v - clean - l.value) < tolerance);
      } else if (l.kind == "drift") {
        REQUIRE(std::abs(v - clean) <= std::abs(l.value) + tolerance);
      }
    }
    if (l.kind == "stuck") {
      for (double v : in_window) {
        REQUIRE(v == in_window.front());
      }
    }
    if (l.kind == "drift" && p.faulty.count(l.end_ms) == 1) {
      // At its last tick a drift has reached its full size (a dropout may hide that tick).
      const double v = p.faulty.at(l.end_ms).values.at(l.sensor);
      if (!clamped(v, s)) {
        CHECK(std::abs(v - p.clean.at(l.end_ms).values.at(l.sensor) - l.value) < tolerance);
      }
    }
  }
  for (const char* kind :
       {"spike", "level_shift", "drift", "stuck", "noise_burst", "broken_correlation", "dropout"}) {
    INFO(kind);
    CHECK(seen[kind] > 0);
  }
  // Outside every window of a sensor, its values are exactly the clean run's.
  for (const auto& [ts, tick] : p.faulty) {
    for (const auto& [sensor, v] : tick.values) {
      bool inside = false;
      for (const auto& [a, b] : windows[sensor]) {
        inside = inside || (ts >= a && ts <= b);
      }
      if (!inside) {
        REQUIRE(v == p.clean.at(ts).values.at(sensor));
      }
    }
  }
}

TEST_CASE("a stuck sensor repeats the last value emitted before the window", "[unit]") {
  const Pair p = make_pair(DeviceClass::pump, 22);
  int checked = 0;
  for (const Label& l : p.labels) {
    if (l.kind != "stuck" || p.faulty.count(l.start_ms - 1000) == 0 ||
        p.faulty.count(l.start_ms) == 0) {
      continue;
    }
    const double before = p.faulty.at(l.start_ms - 1000).values.at(l.sensor);
    CHECK(p.faulty.at(l.start_ms).values.at(l.sensor) == before);
    ++checked;
  }
  CHECK(checked > 0);
}
