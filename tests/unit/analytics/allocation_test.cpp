// Counts heap allocations around the engine's steady state: the design promises none
// per sample once a device's state exists and its detectors are warm.

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "analytics_test_support.hpp"
#include "edgegw/analytics/engine.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

// AddressSanitizer owns operator new/delete; replacing them under it reports mismatches.
// g++ says so with __SANITIZE_ADDRESS__, clang 14 only through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define EDGEGW_UNDER_ASAN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EDGEGW_UNDER_ASAN
#endif
#endif

#if !defined(EDGEGW_UNDER_ASAN)

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    return p;
  }
  throw std::bad_alloc();
}
// g++ cannot see that these pair with the operator new above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop
#endif

using namespace edgegw::analytics;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::Noise;

TEST_CASE("no heap allocation per sample in steady state", "[unit]") {
  AnalyticsConfig c;
  c.enabled = true;
  c.window_ms = 3'600'000;  // no window closes during the measurement
  RuleConfig r;
  r.name = "hot";
  r.sensor = "s0";
  r.threshold = 1e9;
  r.for_ms = 1000;
  ProfileConfig& p = c.profiles["default"];
  p.rules.push_back(r);
  // Thresholds far out so that no alert (whose strings would allocate) interferes.
  p.ewma.false_alarm_rate = p.mad.false_alarm_rate = p.rate.false_alarm_rate = 1e-12;
  p.multivariate.false_alarm_rate = 1e-12;
  p.anomaly.threshold = 0.99;
  Engine e(c);
  Output out;
  out.scores.reserve(256);
  out.alerts.reserve(16);
  Noise noise(1);
  constexpr int kSamples = 3000;
  std::vector<edgegw::Sample> samples;
  for (int i = 0; i < kSamples; ++i) {
    const double f = noise.gaussian();
    samples.push_back(make_sample("device-0001", 1'000'000 + i * 100,
                                  {{"s0", f},
                                   {"s1", 2 * f + noise.gaussian()},
                                   {"s2", noise.gaussian()},
                                   {"s3", 5.0 + 0.1 * noise.gaussian()},
                                   {"s4", -f},
                                   {"s5", noise.gaussian()},
                                   {"s6", f + noise.gaussian()},
                                   {"s7", 3 * noise.gaussian()}}));
  }
  for (int i = 0; i < kSamples / 2; ++i) {
    e.on_sample(samples[static_cast<std::size_t>(i)], "", i, out);
  }
  out.alerts.clear();
  const long before = g_allocations.load();
  for (int i = kSamples / 2; i < kSamples; ++i) {
    e.on_sample(samples[static_cast<std::size_t>(i)], "", i, out);
    out.alerts.clear();  // a rare alert would allocate its strings; none expected
  }
  const long allocations = g_allocations.load() - before;
  CHECK(allocations == 0);  // under ASan nothing is counted: the check is void there
  CHECK(e.stats().alerts_raised == 0);
}
