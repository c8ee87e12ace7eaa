#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "pipeline/analytics_stage.hpp"

using edgegw::Status;
using edgegw::Stream;
using edgegw::pipeline::AnalyticsStage;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

edgegw::Sample sample(const std::string& device, std::int64_t ts) {
  edgegw::Sample s;
  s.device = device;
  s.timestamp_ms = ts;
  s.readings.push_back({"temperature", 20.0, "degC"});
  return s;
}

}  // namespace

TEST_CASE("devices that arrive after others went idle still get their aggregates forwarded",
          "[unit][pipeline]") {
  edgegw::analytics::AnalyticsConfig config;
  config.enabled = true;
  config.window_ms = 10'000;
  config.max_devices = 2;
  config.idle_eviction_ms = 60'000;
  AnalyticsStage stage(config, "gw-test");
  edgegw::MappingConfig mapping;
  mapping.forward = edgegw::ForwardMode::aggregates;  // aggregates are all they send

  std::set<std::string> forwarded;  // devices with an aggregate record
  const edgegw::pipeline::EmitRecord emit = [&](const edgegw::records::Record& r) -> Status {
    if (r.stream == Stream::aggregates) {
      CHECK(nlohmann::json::parse(r.payload).at("device") == r.key);
      forwarded.emplace(r.key);
    }
    return edgegw::Ok{};
  };
  // One generation of devices: a few samples each (arrival = event time), then quiet.
  auto generation = [&](const std::vector<std::string>& devices, std::int64_t start) {
    for (int i = 0; i < 5; ++i) {
      for (const std::string& d : devices) {
        const std::int64_t t = start + i * 1000;
        REQUIRE(stage.on_sample(sample(d, t), d, mapping, t, emit));
      }
    }
    // Quiet long enough for their windows to close and their state to be evicted.
    for (std::int64_t t = start + 5000; t <= start + 80'000; t += 1000) {
      REQUIRE(stage.on_tick(t, emit));
    }
  };
  generation({"a", "b"}, kT0);
  CHECK(forwarded == std::set<std::string>{"a", "b"});
  // The table is full only until a and b are evicted: c and d take their places.
  generation({"c", "d"}, kT0 + 100'000);
  CHECK(forwarded == std::set<std::string>{"a", "b", "c", "d"});
  generation({"e", "f"}, kT0 + 200'000);
  CHECK(forwarded.size() == 6);
  CHECK(stage.stats().devices_evicted == 6);
}
