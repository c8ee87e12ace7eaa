// Rules whose threshold is each device's own, from its metadata (`meta.<column>`).

#include <catch2/catch.hpp>

#include <memory>

#include "analytics_test_support.hpp"
#include "edgegw/analytics/engine.hpp"
#include "edgegw/device_metadata.hpp"

using namespace edgegw::analytics;
using edgegw::DeviceMetadata;
using edgegw::DeviceMetadataTable;
using edgegw::analytics::testing::config_with;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::quiet_profile;

namespace {

AnalyticsConfig bearing_config() {
  ProfileConfig p = quiet_profile();
  RuleConfig r;
  r.name = "bearing_hot";
  r.sensor = "bearing_temp";
  r.op = RuleOp::above;
  r.threshold_meta = "max_bearing_temp";
  p.rules.push_back(r);
  return config_with(p);
}

std::shared_ptr<const DeviceMetadataTable> limits(
    std::initializer_list<std::pair<const char*, const char*>> devices) {
  auto table = std::make_shared<DeviceMetadataTable>();
  for (const auto& [device, limit] : devices) {
    DeviceMetadata m;
    if (limit != nullptr) {
      m.values.emplace_back("max_bearing_temp", limit);
    }
    m.values.emplace_back("site", "north");
    table->add(device, m);
  }
  return table;
}

// Feeds `temperature` to every device at t; returns the rule alerts raised.
std::vector<Alert> feed(Engine& e, std::initializer_list<const char*> devices, std::int64_t t,
                        double temperature, Output& out) {
  std::vector<Alert> raised;
  for (const char* device : devices) {
    out.clear();
    e.on_sample(make_sample(device, t, {{"bearing_temp", temperature}}), "", t, out);
    for (const Alert& a : out.alerts) {
      if (a.origin == AlertOrigin::rule && a.state == AlertState::raised) {
        raised.push_back(a);
      }
    }
  }
  return raised;
}

}  // namespace

TEST_CASE("a meta rule fires for the device whose own limit is crossed only", "[unit]") {
  Engine e(bearing_config(), limits({{"low", "70"}, {"high", "90"}}));
  Output out;
  CHECK(feed(e, {"low", "high", "unknown"}, 1000, 65.0, out).empty());
  const std::vector<Alert> raised = feed(e, {"low", "high", "unknown"}, 2000, 80.0, out);
  REQUIRE(raised.size() == 1);
  CHECK(raised[0].device == "low");
  CHECK(raised[0].source == "rule:bearing_hot");
  CHECK(raised[0].threshold == 70.0);
  REQUIRE_FALSE(raised[0].parameters.empty());
  CHECK(raised[0].parameters.front() == std::pair<std::string, double>{"threshold", 70.0});
  CHECK_THAT(raised[0].message, Catch::Matchers::Contains("threshold 70,") &&
                                    Catch::Matchers::Contains("(meta.max_bearing_temp)"));
  // It clears at the device's threshold (no `clear` with a meta threshold).
  out.clear();
  e.on_sample(make_sample("low", 3000, {{"bearing_temp", 69.0}}), "", 3000, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].state == AlertState::cleared);
}

TEST_CASE("a device without the meta value is said once, and its rule does not fire", "[unit]") {
  Engine e(bearing_config(), limits({{"listed", nullptr}}));
  Output out;
  e.on_sample(make_sample("listed", 1000, {{"bearing_temp", 500.0}}), "", 1000, out);
  CHECK(out.missing_meta == std::vector<std::string>{"max_bearing_temp"});
  e.on_sample(make_sample("listed", 2000, {{"bearing_temp", 500.0}}), "", 2000, out);
  CHECK(out.missing_meta.empty());  // once per device, not per reading
  e.on_sample(make_sample("unlisted", 2000, {{"bearing_temp", 500.0}}), "", 2000, out);
  CHECK(out.missing_meta == std::vector<std::string>{"max_bearing_temp"});
  CHECK(feed(e, {"listed", "unlisted"}, 3000, 500.0, out).empty());
  CHECK(e.stats().samples == 5);  // the devices are analysed all the same
}

TEST_CASE("a restored device takes its threshold from the new metadata", "[unit]") {
  Engine before(bearing_config(), limits({{"d", "90"}}));
  Output out;
  CHECK(feed(before, {"d"}, 1000, 80.0, out).empty());
  // The reloaded file lowers the device's limit: the checkpoint keeps its state, not the
  // threshold.
  Engine after(bearing_config(), limits({{"d", "70"}}));
  REQUIRE(after.restore(before.checkpoint(), 1500).restored);
  const std::vector<Alert> raised = feed(after, {"d"}, 2000, 80.0, out);
  REQUIRE(raised.size() == 1);
  CHECK(raised[0].threshold == 70.0);
}

TEST_CASE("an open meta rule alert clears when a reload takes the device's limit away", "[unit]") {
  Engine before(bearing_config(), limits({{"d", "70"}}));
  Output out;
  REQUIRE(feed(before, {"d"}, 1000, 80.0, out).size() == 1);
  Engine after(bearing_config(), limits({{"d", nullptr}}));
  REQUIRE(after.restore(before.checkpoint(), 1500).restored);
  out.clear();
  after.on_sample(make_sample("d", 2000, {{"bearing_temp", 80.0}}), "", 2000, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].state == AlertState::cleared);
  CHECK(out.alerts[0].source == "rule:bearing_hot");
  // And it stays quiet: the rule no longer applies to the device.
  CHECK(feed(after, {"d"}, 3000, 90.0, out).empty());
}

TEST_CASE("metadata does not change which checkpoints a profile without meta rules takes",
          "[unit]") {
  ProfileConfig p = quiet_profile();
  RuleConfig r;
  r.name = "hot";
  r.sensor = "t";
  r.threshold = 90;
  p.rules.push_back(r);
  Engine a(config_with(p));
  Output out;
  a.on_sample(make_sample("d", 1000, {{"t", 1.0}}), "", 1000, out);
  Engine b(config_with(p), limits({{"d", "1"}}));
  const RestoreResult restored = b.restore(a.checkpoint(), 1000);
  CHECK(restored.restored);
  CHECK(restored.devices_restored == 1);
}
