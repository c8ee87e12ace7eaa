#pragma once
// Small helpers for the analytics tests: deterministic noise and sample builders.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>

#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::analytics::testing {

// Gaussian noise from a fixed seed through Box-Muller, so results do not depend on the
// standard library's distribution implementation.
class Noise {
 public:
  explicit Noise(std::uint64_t seed) : rng_(seed) {}
  double gaussian() {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double a = 1.0 - u(rng_);
    const double b = u(rng_);
    return std::sqrt(-2.0 * std::log(a)) * std::cos(2.0 * M_PI * b);
  }

 private:
  std::mt19937_64 rng_;
};

inline Sample make_sample(std::string device, std::int64_t t_ms,
                          std::initializer_list<std::pair<const char*, double>> readings) {
  Sample s;
  s.device = std::move(device);
  s.timestamp_ms = t_ms;
  for (const auto& [name, value] : readings) {
    s.readings.push_back(Reading{name, value, ""});
  }
  return s;
}

// A profile with every detector off, to switch on the one under test.
inline ProfileConfig quiet_profile() {
  ProfileConfig p;
  p.ewma.enabled = false;
  p.mad.enabled = false;
  p.rate.enabled = false;
  p.stuck.enabled = false;
  p.silence.enabled = false;
  p.multivariate.mahalanobis = false;
  p.multivariate.pca = false;
  p.anomaly.enabled = false;
  return p;
}

inline AnalyticsConfig config_with(const ProfileConfig& p) {
  AnalyticsConfig c;
  c.enabled = true;
  c.profiles[kDefaultProfile] = p;
  return c;
}

}  // namespace edgegw::analytics::testing
