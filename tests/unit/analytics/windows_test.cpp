#include <catch2/catch.hpp>

#include <limits>

#include "analytics_test_support.hpp"
#include "anomaly/window_aggregator.hpp"
#include "edgegw/analytics/engine.hpp"

using namespace edgegw::analytics;
using edgegw::analytics::testing::config_with;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::quiet_profile;

namespace {

AnalyticsConfig window_config(std::int64_t window_ms, std::int64_t lateness_ms) {
  AnalyticsConfig c = config_with(quiet_profile());
  c.window_ms = window_ms;
  c.allowed_lateness_ms = lateness_ms;
  return c;
}

}  // namespace

TEST_CASE("window boundaries are floor-aligned, also before the epoch", "[unit]") {
  CHECK(window_start(0, 1000) == 0);
  CHECK(window_start(999, 1000) == 0);
  CHECK(window_start(1000, 1000) == 1000);
  CHECK(window_start(-1, 1000) == -1000);
  CHECK(window_start(-1000, 1000) == -1000);
}

TEST_CASE("tumbling windows aggregate count, min, max, mean, stddev and last", "[unit]") {
  Engine engine(window_config(10'000, 0));
  Output out;
  // Window [0, 10s): 1, 2, 3, 4 with the last by event time being 4 at 9.999 s.
  engine.on_sample(make_sample("d", 0, {{"t", 1.0}}), "", 0, out);
  engine.on_sample(make_sample("d", 5'000, {{"t", 3.0}}), "", 0, out);
  engine.on_sample(make_sample("d", 9'999, {{"t", 4.0}}), "", 0, out);
  engine.on_sample(make_sample("d", 7'000, {{"t", 2.0}}), "", 0, out);  // out of order, same window
  CHECK(out.aggregates.empty());
  engine.on_sample(make_sample("d", 10'000, {{"t", 10.0}}), "", 0, out);  // next window
  REQUIRE(out.aggregates.size() == 1);
  const Aggregate& a = out.aggregates[0];
  CHECK(a.device == "d");
  CHECK(a.sensor == "t");
  CHECK(a.window_start_ms == 0);
  CHECK(a.window_end_ms == 10'000);
  CHECK(a.count == 4);
  CHECK(a.min == 1.0);
  CHECK(a.max == 4.0);
  CHECK(a.mean == Approx(2.5));
  CHECK(a.stddev == Approx(1.2909944487));
  CHECK(a.last == 4.0);
  out.clear();
  engine.flush(out);
  REQUIRE(out.aggregates.size() == 1);
  CHECK(out.aggregates[0].window_start_ms == 10'000);
  CHECK(out.aggregates[0].count == 1);
  CHECK(out.aggregates[0].stddev == 0.0);
}

TEST_CASE("allowed lateness keeps a window open, and later samples are dropped and counted",
          "[unit]") {
  Engine engine(window_config(10'000, 5'000));
  Output out;
  engine.on_sample(make_sample("d", 1'000, {{"t", 1.0}}), "", 0, out);
  engine.on_sample(make_sample("d", 12'000, {{"t", 2.0}}), "", 0, out);
  CHECK(out.aggregates.empty());  // watermark 7 s: window [0, 10 s) still open
  engine.on_sample(make_sample("d", 8'000, {{"t", 3.0}}), "", 0, out);   // late but allowed
  engine.on_sample(make_sample("d", 15'000, {{"t", 4.0}}), "", 0, out);  // watermark 10 s
  REQUIRE(out.aggregates.size() == 1);
  CHECK(out.aggregates[0].count == 2);
  CHECK(out.aggregates[0].max == 3.0);
  CHECK(engine.stats().late_samples == 0);
  engine.on_sample(make_sample("d", 9'000, {{"t", 100.0}}), "", 0, out);  // too late
  CHECK(engine.stats().late_samples == 1);
  CHECK(out.aggregates.size() == 1);
  out.clear();
  engine.flush(out);
  REQUIRE(out.aggregates.size() == 1);
  CHECK(out.aggregates[0].window_start_ms == 10'000);
  CHECK(out.aggregates[0].count == 2);
  CHECK(out.aggregates[0].max == 4.0);
}

TEST_CASE("a quiet device's windows close on tick, per sensor", "[unit]") {
  Engine engine(window_config(10'000, 2'000));
  Output out;
  engine.on_sample(make_sample("d", 1'000, {{"a", 1.0}, {"b", 2.0}}), "", 1'000, out);
  engine.on_tick(5'000, out);
  CHECK(out.aggregates.empty());
  engine.on_tick(13'000, out);  // 12 s since the last arrival >= window + lateness
  REQUIRE(out.aggregates.size() == 2);
  CHECK(out.aggregates[0].sensor == "a");
  CHECK(out.aggregates[1].sensor == "b");
  out.clear();
  engine.on_tick(30'000, out);
  CHECK(out.aggregates.empty());  // closed once only
}

TEST_CASE("NaN and infinite readings stay out of the aggregates", "[unit]") {
  Engine engine(window_config(10'000, 0));
  Output out;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  engine.on_sample(make_sample("d", 0, {{"t", 1.0}, {"u", nan}}), "", 0, out);
  engine.on_sample(make_sample("d", 1'000, {{"t", inf}, {"u", 5.0}}), "", 0, out);
  engine.on_sample(make_sample("d", 2'000, {{"t", 3.0}}), "", 0, out);
  engine.flush(out);
  REQUIRE(out.aggregates.size() == 2);
  CHECK(out.aggregates[0].count == 2);
  CHECK(out.aggregates[0].mean == 2.0);
  CHECK(out.aggregates[1].count == 1);
  CHECK(engine.stats().invalid_values == 2);
}
