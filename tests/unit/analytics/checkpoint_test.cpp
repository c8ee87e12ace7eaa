// Engine::checkpoint and Engine::restore: a restored engine goes on exactly like the
// original; damaged, foreign or hostile checkpoints are refused whole (and never crash
// or allocate beyond the config); devices of changed profiles are dropped.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analytics_test_support.hpp"
#include "anomaly/checkpoint.hpp"
#include "edgegw/analytics/engine.hpp"
#include "edgegw/crc32c.hpp"

using namespace edgegw::analytics;
using edgegw::analytics::testing::config_with;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::Noise;
using edgegw::analytics::testing::quiet_profile;

namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;
const char* const kSensors[8] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"};

// Every detector on (the defaults), a rule, and a second profile with an operating state.
AnalyticsConfig full_config() {
  ProfileConfig p;
  RuleConfig rule;
  rule.name = "hot";
  rule.sensor = "s0";
  rule.threshold = 60.0;
  rule.clear = 55.0;
  rule.for_ms = 2000;
  p.rules.push_back(rule);
  AnalyticsConfig c = config_with(p);
  ProfileConfig pump = p;
  pump.mad.window = 32;
  pump.mad.warmup = 16;
  pump.anomaly.learning = 300;
  pump.operating_state.sensor = "state";
  c.profiles["pump"] = pump;
  return c;
}

// Device i's sample at second `second`: 8 correlated noisy sensors, with spikes,
// a level shift and a stuck stretch at fixed times so that alerts come and go.
edgegw::Sample device_sample(int device, int second, Noise& noise) {
  edgegw::Sample s;
  s.device = "dev-" + std::to_string(device);
  s.timestamp_ms = kStart + static_cast<std::int64_t>(second) * 1000;
  const double common = noise.gaussian();
  for (int k = 0; k < 8; ++k) {
    double v = 50.0 + 2.0 * k + common + 0.3 * noise.gaussian();
    if (second % 400 == 397 && k == device % 8) {
      v += 25.0;  // spike
    }
    if (second >= 1500 && second < 1530 && k == 0) {
      v = 70.0;  // over the rule, and stuck
    }
    s.readings.push_back(edgegw::Reading{kSensors[k], v, ""});
  }
  if (device % 2 == 1) {
    // The pumps start and stop; one change falls 10 s before the checkpoint at 1000 s,
    // so the restored engine must go on holding its detectors.
    s.readings.push_back(edgegw::Reading{"state", ((second + 10) / 500) % 2 == 0 ? 1.0 : 0.0, ""});
  }
  return s;
}

std::string profile_of(int device) {
  return device % 2 == 0 ? "" : "pump";
}

// One line per thing an engine produced, so that two runs compare as text.
// To 9 digits: the anomaly detector rebuilds its kNN distances from the restored history
// (they are not stored), and the rebuilt sums may differ from the running ones in their
// last bits until both are next recomputed exactly.
std::string render(const Output& out) {
  std::ostringstream o;
  o.precision(9);
  o << "p=" << out.p_value << " a=" << out.anomaly_score << " on=" << out.alerting << "\n";
  for (const ScoreEntry& e : out.scores) {
    o << " score " << detector_name(e.kind) << " " << e.sensor << " " << e.score << " " << e.p_value
      << "\n";
  }
  for (const Alert& a : out.alerts) {
    o << " alert " << a.id << " " << alert_state_name(a.state) << " " << a.score << " "
      << a.statistic << " " << a.p_value << " " << a.message << "\n";
  }
  for (const Aggregate& a : out.aggregates) {
    o << " agg " << a.device << " " << a.sensor << " " << a.window_start_ms << " " << a.count << " "
      << a.mean << " " << a.stddev << "\n";
  }
  return o.str();
}

// Feeds seconds [from, to) of `devices` devices, ticking once a second; returns the text
// of everything produced (ticks' output sorted: the hash order of devices may differ).
std::string feed(Engine& engine, int devices, int from, int to, std::uint64_t seed) {
  Noise noise(seed);
  Output out;
  std::string text;
  for (int second = from; second < to; ++second) {
    for (int d = 0; d < devices; ++d) {
      const edgegw::Sample s = device_sample(d, second, noise);
      out.clear();
      engine.on_sample(s, profile_of(d), s.timestamp_ms + 50, out);
      text += render(out);
    }
    out.clear();
    engine.on_tick(kStart + static_cast<std::int64_t>(second) * 1000 + 500, out);
    std::vector<std::string> lines;
    for (const Alert& a : out.alerts) {
      lines.push_back("tick " + a.id + " " + std::string(alert_state_name(a.state)));
    }
    for (const Aggregate& a : out.aggregates) {
      lines.push_back("tick agg " + a.device + " " + a.sensor + " " +
                      std::to_string(a.window_start_ms) + " " + std::to_string(a.count));
    }
    std::sort(lines.begin(), lines.end());
    for (const std::string& l : lines) {
      text += l + "\n";
    }
  }
  return text;
}

std::uint32_t get_u32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  std::memcpy(&v, b.data() + at, 4);  // the test runs on little-endian machines
  return v;
}

void put_u32(std::string& b, std::size_t at, std::uint32_t v) {
  std::memcpy(b.data() + at, &v, 4);
}

// Makes a tampered checkpoint look intact: length and both CRCs recomputed.
void reseal(std::string& b) {
  const std::uint64_t payload = b.size() - checkpoint::kHeaderBytes;
  std::memcpy(b.data() + 16, &payload, 8);
  put_u32(b, 24, edgegw::crc32c(b.data() + checkpoint::kHeaderBytes, payload));
  put_u32(b, 28, edgegw::crc32c(b.data(), 28));
}

// Where the first device's sensor count is: header, stats, device count, record length,
// then the device and profile names and the fingerprint.
std::size_t first_sensor_count_at(const std::string& b) {
  std::size_t at = checkpoint::kHeaderBytes + sizeof(EngineStats) + 4 + 4;
  at += 4 + get_u32(b, at);  // device name
  at += 4 + get_u32(b, at);  // profile name
  return at + 8;
}

}  // namespace

TEST_CASE("a restored engine goes on exactly like the original", "[unit]") {
  Engine original(full_config());
  feed(original, 3, 0, 1000, 1);
  const std::string bytes = original.checkpoint();
  REQUIRE(bytes.size() > checkpoint::kHeaderBytes);

  Engine restored(full_config());
  const RestoreResult r = restored.restore(bytes, 0);
  INFO(r.reason);
  REQUIRE(r.restored);
  CHECK(r.devices_restored == 3);
  CHECK(r.devices_dropped == 0);
  CHECK(r.devices_expired == 0);
  // Everything saved is read back: the same state gives the same bytes.
  CHECK(restored.checkpoint() == bytes);
  CHECK(restored.stats().devices_tracked == 3);
  CHECK(restored.stats().state_bytes > 3 * 8 * 1024);

  // The same 800 further seconds (past the anomaly detector's learning, with spikes,
  // a rule and a stuck sensor) give the same scores, anomaly scores and alerts.
  const std::string a = feed(original, 3, 1000, 1800, 2);
  const std::string b = feed(restored, 3, 1000, 1800, 2);
  CHECK(a.find("alert") != std::string::npos);
  CHECK(a.find("anomaly") != std::string::npos);
  CHECK(a.find("rule:hot") != std::string::npos);
  CHECK(a == b);
  CHECK(original.checkpoint().size() == restored.checkpoint().size());
  const EngineStats so = original.stats();
  const EngineStats sr = restored.stats();
  CHECK(so.samples == sr.samples);
  CHECK(so.alerts_raised == sr.alerts_raised);
  CHECK(so.aggregates == sr.aggregates);
  CHECK(so.state_changes == sr.state_changes);
  CHECK(sr.state_changes > 0);
}

TEST_CASE("an engine restored after learning alerts on the first anomaly", "[unit]") {
  ProfileConfig p = quiet_profile();
  p.anomaly.enabled = true;
  const AnalyticsConfig config = config_with(p);
  Engine learnt(config);
  Noise noise(5);
  Output out;
  int i = 0;
  for (; i < 900; ++i) {
    out.clear();
    learnt.on_sample(make_sample("d", kStart + i * 1000, {{"x", 20.0 + noise.gaussian()}}), "",
                     kStart + i * 1000, out);
  }
  const auto anomaly_alerts = [&](Engine& e) {
    int raised = 0;
    for (int k = 0; k < 3; ++k) {  // reported one sample late, at the peak
      out.clear();
      const double x = k == 0 ? 45.0 : 20.0 + noise.gaussian();
      e.on_sample(make_sample("d", kStart + (i + k) * 1000, {{"x", x}}), "",
                  kStart + (i + k) * 1000, out);
      for (const Alert& a : out.alerts) {
        raised += a.source == "anomaly" && a.state == AlertState::raised ? 1 : 0;
      }
    }
    return raised;
  };
  Engine restored(config);
  REQUIRE(restored.restore(learnt.checkpoint(), kStart + i * 1000).restored);
  CHECK(anomaly_alerts(restored) == 1);
  Engine fresh(config);  // what a restart without a checkpoint gives: still learning
  CHECK(anomaly_alerts(fresh) == 0);
}

TEST_CASE("after a shutdown flush, the samples that follow a restart reach the detectors",
          "[unit]") {
  Engine original(full_config());
  feed(original, 1, 0, 130, 3);
  Output out;
  original.flush(out);  // the daemon saves after its final flush
  CHECK_FALSE(out.aggregates.empty());
  Engine restored(full_config());
  REQUIRE(restored.restore(original.checkpoint(), kStart + 131'000).restored);
  const std::uint64_t late = restored.stats().late_samples;
  Noise noise(4);
  out.clear();
  restored.on_sample(device_sample(0, 131, noise), "", kStart + 131'050, out);
  CHECK(restored.stats().late_samples == late);
  CHECK_FALSE(out.scores.empty());
}

TEST_CASE("a checkpoint refused for damage leaves the engine empty, whatever the damage",
          "[unit]") {
  Engine original(full_config());
  feed(original, 2, 0, 400, 6);
  const std::string bytes = original.checkpoint();
  const auto refused = [](const std::string& b, const char* why) {
    Engine e(full_config());
    const RestoreResult r = e.restore(b, 0);
    INFO("reason: " << r.reason << " (expected " << why << ")");
    CHECK_FALSE(r.restored);
    CHECK(r.reason.find(why) != std::string::npos);
    CHECK(e.stats().devices_tracked == 0);
    CHECK(e.stats().samples == 0);
  };

  SECTION("truncated anywhere") {
    for (std::size_t n = 0; n < bytes.size(); n += n < 64 ? 1 : 97) {
      refused(bytes.substr(0, n), "truncated");
    }
    refused(bytes.substr(0, bytes.size() - 1), "truncated");
  }
  SECTION("one flipped bit anywhere") {
    for (std::size_t at = 0; at < bytes.size(); at += at < 64 ? 1 : 89) {
      std::string b = bytes;
      b[at] = static_cast<char>(b[at] ^ (1 << (at % 8)));
      Engine e(full_config());
      const RestoreResult r = e.restore(b, 0);
      INFO("byte " << at << ": " << r.reason);
      CHECK_FALSE(r.restored);
      CHECK_FALSE(r.reason.empty());
      CHECK(e.stats().devices_tracked == 0);
    }
  }
  SECTION("other formats and garbage") {
    std::string b = bytes;
    put_u32(b, 8, checkpoint::kFormatVersion + 1);
    reseal(b);
    refused(b, "format version");
    refused(bytes + "x", "after the end");
    refused(std::string(100, '\0'), "wrong magic");
    refused("", "truncated");
    std::string crc = bytes;
    crc[crc.size() / 2] = static_cast<char>(crc[crc.size() / 2] ^ 0x10);
    refused(crc, "CRC");
  }
  SECTION("intact CRCs around a length larger than the config allows") {
    std::string b = bytes;
    put_u32(b, first_sensor_count_at(b) + 4, 1'000'000'000);  // the first sensor's name
    reseal(b);
    refused(b, "at most 4096");
  }
}

TEST_CASE("a device with more sensors than the config allows is dropped, not allocated", "[unit]") {
  Engine original(full_config());
  feed(original, 2, 0, 20, 10);
  std::string b = original.checkpoint();
  put_u32(b, first_sensor_count_at(b), 1'000'000'000);  // a billion sensors
  reseal(b);
  Engine e(full_config());
  const RestoreResult r = e.restore(b, 0);
  INFO(r.reason);
  CHECK(r.restored);
  CHECK(r.devices_dropped == 1);
  CHECK(r.devices_restored == 1);
}

TEST_CASE("a hostile checkpoint with intact CRCs never crashes nor over-allocates", "[unit]") {
  Engine original(full_config());
  feed(original, 2, 0, 300, 7);
  const std::string bytes = original.checkpoint();
  std::mt19937_64 rng(11);
  int accepted = 0;
  for (int round = 0; round < 300; ++round) {
    std::string b = bytes;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      const std::size_t at =
          checkpoint::kHeaderBytes + rng() % (b.size() - checkpoint::kHeaderBytes);
      b[at] = static_cast<char>(rng() & 0xFF);  // counts, indexes, flags or values
    }
    reseal(b);
    Engine e(full_config());
    const RestoreResult r = e.restore(b, 0);
    if (!r.restored) {
      CHECK(e.stats().devices_tracked == 0);
      continue;
    }
    ++accepted;
    // Whatever it accepted is usable: more samples and ticks run on it.
    feed(e, 2, 300, 310, 8);
    Output out;
    e.flush(out);
    CHECK(e.stats().devices_tracked <= 2);
  }
  CHECK(accepted > 0);  // flipped values (not structure) are taken as they are
}

TEST_CASE("devices of a removed or changed profile are dropped, the others kept", "[unit]") {
  Engine original(full_config());
  feed(original, 4, 0, 50, 9);  // dev-0, dev-2 default; dev-1, dev-3 pump
  const std::string bytes = original.checkpoint();
  const auto restore_with = [&](const AnalyticsConfig& c) {
    Engine e(c);
    RestoreResult r = e.restore(bytes, 0);
    INFO(r.reason);
    CHECK(r.restored);
    CHECK(e.stats().devices_tracked == r.devices_restored);
    return r;
  };

  AnalyticsConfig changed = full_config();
  changed.profiles["pump"].ewma.half_life = 50;
  RestoreResult r = restore_with(changed);
  CHECK(r.devices_restored == 2);
  CHECK(r.devices_dropped == 2);

  AnalyticsConfig removed = full_config();
  removed.profiles.erase("pump");
  r = restore_with(removed);
  CHECK(r.devices_restored == 2);
  CHECK(r.devices_dropped == 2);

  AnalyticsConfig window = full_config();
  window.window_ms = 30'000;  // every device's windows mean something else now
  r = restore_with(window);
  CHECK(r.devices_restored == 0);
  CHECK(r.devices_dropped == 4);

  AnalyticsConfig severity = full_config();
  severity.profiles["pump"].ewma.severity = Severity::critical;  // labels only
  severity.checkpoint_interval_ms = 5000;                        // the gateway's, not state
  r = restore_with(severity);
  CHECK(r.devices_restored == 4);

  AnalyticsConfig fewer = full_config();
  fewer.max_devices = 3;
  r = restore_with(fewer);
  CHECK(r.devices_restored == 3);
  CHECK(r.devices_dropped == 1);

  AnalyticsConfig sensors = full_config();
  sensors.max_sensors_per_device = 4;
  r = restore_with(sensors);
  CHECK(r.devices_restored == 0);
  CHECK(r.devices_dropped == 4);
}

TEST_CASE("a restore measures silence from the restart, and lets the tick evict the idle",
          "[unit]") {
  ProfileConfig p = quiet_profile();
  p.silence.enabled = true;
  AnalyticsConfig c = config_with(p);
  c.idle_eviction_ms = 3'600'000;
  Engine original(c);
  Output out;
  for (int i = 0; i < 20; ++i) {
    original.on_sample(make_sample("d", kStart + i * 1000, {{"x", 1.0}}), "", kStart + i * 1000,
                       out);
  }
  const std::string bytes = original.checkpoint();

  // Down for 10 minutes: no silence alert on the first tick, but one 30 s later.
  Engine back(c);
  const std::int64_t restart = kStart + 600'000;
  REQUIRE(back.restore(bytes, restart).restored);
  out.clear();
  back.on_tick(restart + 1000, out);
  CHECK(out.alerts.empty());
  back.on_tick(restart + 31'000, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].source == "silence");

  // Down for two hours: restored, then evicted by the first tick.
  Engine late(c);
  const RestoreResult r = late.restore(bytes, kStart + 7'200'000);
  CHECK(r.devices_expired == 1);
  out.clear();
  late.on_tick(kStart + 7'201'000, out);
  CHECK(late.stats().devices_tracked == 0);
}

TEST_CASE("a checkpoint's size per device is bounded", "[unit]") {
  // The default profile with 8 sensors, once every ring is full.
  Engine engine(config_with(ProfileConfig{}));
  Noise noise(12);
  Output out;
  for (int i = 0; i < 1000; ++i) {
    out.clear();
    engine.on_sample(device_sample(0, i, noise), "", kStart + i * 1000, out);
  }
  const std::size_t one = engine.checkpoint().size();
  for (int i = 0; i < 1000; ++i) {
    out.clear();
    engine.on_sample(device_sample(1, i, noise), "", kStart + i * 1000, out);
  }
  const std::size_t per_device = engine.checkpoint().size() - one;
  INFO("bytes per device: " << per_device);
  // At least the anomaly detector's histories and distances (floats).
  CHECK(per_device > 8 * 2 * 400 * sizeof(float));
  CHECK(per_device < 96 * 1024);
  CHECK(engine.checkpoint().size() < engine.checkpoint_size_limit());
  WARN("checkpoint bytes per device (default profile, 8 sensors): " << per_device);
}

TEST_CASE("a restored engine goes on holding its detectors while a state change settles",
          "[unit]") {
  ProfileConfig p = quiet_profile();
  p.ewma.enabled = true;
  p.operating_state.sensor = "state";
  p.operating_state.settle_ms = 30'000;
  const AnalyticsConfig c = config_with(p);
  Engine original(c);
  Output out;
  Noise noise(5);
  std::int64_t t = kStart;
  const auto feed_one = [&](Engine& e, double x, double state) {
    e.on_sample(make_sample("d", t, {{"x", x}, {"state", state}}), "", t, out);
    t += 1000;
  };
  for (int i = 0; i < 300; ++i) {
    feed_one(original, noise.gaussian(), 1.0);
  }
  feed_one(original, noise.gaussian(), 0.0);  // the machine stops: 30 s of settling
  Engine restored(c);
  REQUIRE(restored.restore(original.checkpoint(), t).restored);
  out.clear();
  for (int i = 0; i < 10; ++i) {
    feed_one(restored, 20.0, 0.0);  // the stop's transient, inside the settle period
  }
  CHECK(out.alerts.empty());
}
