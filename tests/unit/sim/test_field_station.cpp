// The field station: its physics (soil, weather, valve, battery) seen through its
// payloads, and its three faults seen against their labels.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sensor_catalog.hpp"
#include "sim_test_support.hpp"

using namespace edgegw::sim;
using namespace edgegw::sim::test;

namespace {

constexpr std::size_t kTicksPerDay = 288;  // one report every five minutes

// One field station, quiet but for the one fault kind given (at `rate` per hour).
FleetConfig station(std::uint64_t seed, std::optional<FieldFaultKind> fault = {},
                    double rate = 0.0) {
  FleetConfig f = small_fleet({DeviceClass::field}, seed);
  quiet(f);
  if (fault) {
    f.field_faults.enabled = true;
    for (auto& k : f.field_faults.kinds) {
      k.rate_per_hour = 0.0;
    }
    f.field_faults.kinds.at(static_cast<std::size_t>(*fault)).rate_per_hour = rate;
  }
  return f;
}

std::vector<Label> labels_of(const Generated& g, std::string_view kind) {
  std::vector<Label> out;
  std::copy_if(g.labels.begin(), g.labels.end(), std::back_inserter(out),
               [&](const Label& l) { return l.type == LabelType::anomaly && l.kind == kind; });
  return out;
}

bool inside(const std::vector<Label>& labels, std::int64_t ts) {
  return std::any_of(labels.begin(), labels.end(),
                     [ts](const Label& l) { return ts >= l.start_ms && ts <= l.end_ms; });
}

// Mean change of soil moisture from one report to the next while the valve was open,
// within or outside the given windows.
double wetting_while_open(const std::vector<DecodedTick>& ticks, const std::vector<Label>& windows,
                          bool within) {
  double sum = 0.0;
  int n = 0;
  for (std::size_t i = 1; i < ticks.size(); ++i) {
    if (ticks[i].state == 1 && ticks[i - 1].state == 1 &&
        inside(windows, ticks[i].ts_ms) == within) {
      sum += ticks[i].values.at("soil_moisture") - ticks[i - 1].values.at("soil_moisture");
      ++n;
    }
  }
  REQUIRE(n > 10);
  return sum / n;
}

}  // namespace

TEST_CASE("a field station reports every five minutes and has no wear", "[unit]") {
  const ClassConfig c = default_class_config(DeviceClass::field);
  CHECK(c.interval_ms == 300000);
  CHECK_FALSE(c.wear.enabled);
  CHECK(c.topic == "farm/{site}/field/{device}/telemetry");
  // The default fleet stays the plant's machines.
  for (const ClassConfig& cc : default_fleet().classes) {
    CHECK(cc.device_class != DeviceClass::field);
  }
}

TEST_CASE("a field station's soil wets only while irrigating and the air cycles daily", "[unit]") {
  const auto ticks = decode_all(generate(station(3), 30 * kTicksPerDay).messages);
  REQUIRE(ticks.size() == 30 * kTicksPerDay);
  int openings = 0;
  for (std::size_t i = 1; i < ticks.size(); ++i) {
    openings += ticks[i - 1].state == 0 && ticks[i].state == 1 ? 1 : 0;
  }
  CHECK(openings >= 15);  // the controller irrigates about once a day
  CHECK(wetting_while_open(ticks, {}, false) > 0.15);
  std::vector<double> temp;
  std::vector<double> humidity;
  std::map<int, std::vector<double>> by_hour;
  double min_moisture = 100.0;
  for (const DecodedTick& t : ticks) {
    temp.push_back(t.values.at("air_temp"));
    humidity.push_back(t.values.at("humidity"));
    by_hour[static_cast<int>(t.ts_ms / 3600000 % 24)].push_back(temp.back());
    min_moisture = std::min(min_moisture, t.values.at("soil_moisture"));
    CHECK(t.values.at("battery") > 3.6);
    for (const SensorSpec& spec : sensors_of(DeviceClass::field)) {
      const double v = t.values.at(std::string(spec.name));
      CHECK((v >= spec.min_valid && v <= spec.max_valid));  // else the gateway refuses it
    }
  }
  CHECK(min_moisture > 22.0);  // the controller keeps the root zone watered
  CHECK(correlation(temp, humidity) < -0.6);
  auto mean = [](const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) {
      s += x;
    }
    return s / static_cast<double>(v.size());
  };
  CHECK(mean(by_hour[15]) - mean(by_hour[3]) > 8.0);
}

TEST_CASE("dry_out: the soil goes on drying while the valve is open", "[unit]") {
  const Generated g = generate(station(5, FieldFaultKind::dry_out, 0.02), 60 * kTicksPerDay);
  const auto windows = labels_of(g, "dry_out");
  REQUIRE(windows.size() >= 3);
  const auto ticks = decode_all(g.messages);
  CHECK(wetting_while_open(ticks, windows, true) < 0.0);
  CHECK(wetting_while_open(ticks, windows, false) > 0.15);
  std::map<std::int64_t, int> state_at;
  for (const DecodedTick& t : ticks) {
    state_at[t.ts_ms] = t.state;
  }
  for (const Label& l : windows) {
    CHECK(l.sensor == "soil_moisture");
    CHECK(state_at.at(l.start_ms) == 1);  // the window opens with a spoilt irrigation
  }
}

TEST_CASE("sensor_drift moves the probe away from the truth, and nothing else", "[unit]") {
  FleetConfig drifting = station(11, FieldFaultKind::sensor_drift, 0.02);
  FleetConfig clean = drifting;
  clean.field_faults.enabled = false;
  const Generated g = generate(drifting, 60 * kTicksPerDay);
  const auto windows = labels_of(g, "sensor_drift");
  REQUIRE(windows.size() >= 3);
  std::map<std::int64_t, DecodedTick> truth;
  for (const DecodedTick& t : decode_all(generate(clean, 60 * kTicksPerDay).messages)) {
    truth[t.ts_ms] = t;
  }
  const auto ticks = decode_all(g.messages);
  const std::int64_t last_ms = ticks.back().ts_ms;
  for (const DecodedTick& t : ticks) {
    const double off = t.values.at("soil_moisture") - truth.at(t.ts_ms).values.at("soil_moisture");
    CHECK(t.values.at("air_temp") == truth.at(t.ts_ms).values.at("air_temp"));
    if (!inside(windows, t.ts_ms)) {
      CHECK(off == 0.0);
    }
    for (const Label& l : windows) {
      if (t.ts_ms == l.end_ms && l.end_ms < last_ms) {  // not cut short by the end of the run
        CHECK(off == Approx(l.value).margin(0.11));     // the full drift on its last tick
      }
    }
  }
}

TEST_CASE("battery_failure: the voltage sags, then the station is silent until replaced",
          "[unit]") {
  const Generated g =
      generate(station(13, FieldFaultKind::battery_failure, 0.01), 90 * kTicksPerDay);
  const auto windows = labels_of(g, "battery_failure");
  REQUIRE(windows.size() >= 2);
  const auto ticks = decode_all(g.messages);
  for (const Label& l : windows) {
    CHECK(l.sensor == "battery");
    std::vector<const DecodedTick*> within;
    const DecodedTick* after = nullptr;
    for (const DecodedTick& t : ticks) {
      if (t.ts_ms >= l.start_ms && t.ts_ms <= l.end_ms) {
        within.push_back(&t);
      } else if (t.ts_ms > l.end_ms && after == nullptr) {
        after = &t;
      }
    }
    const auto window_ticks = (l.end_ms - l.start_ms) / 300000 + 1;
    REQUIRE_FALSE(within.empty());
    // Three quarters of the window report a sagging cell; the rest is silent.
    CHECK(static_cast<double>(within.size()) == Approx(0.75 * window_ticks).margin(2));
    CHECK(within.back()->values.at("battery") < 3.3);
    CHECK(within.front()->values.at("battery") > within.back()->values.at("battery") + 0.4);
    if (after != nullptr) {
      CHECK(after->values.at("battery") > 3.6);  // replaced
    }
  }
}
