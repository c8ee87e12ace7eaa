#pragma once
// The rate detector (RateConfig) as a unit (sensor_detector.hpp): the per-second change
// between a sensor's consecutive values, as a robust z-score against its own history and
// against an optional absolute limit (RateScorer).

#include <cstdint>

#include "anomaly/config_checker.hpp"
#include "anomaly/rate_scorer.hpp"
#include "anomaly/sensor_detector.hpp"

namespace edgegw::analytics {

class RateDetector {
 public:
  using Config = RateConfig;
  using State = RateState;
  static constexpr DetectorKind kKind = DetectorKind::rate;

  static const Config& config_of(const ProfileConfig& p) { return p.rate; }
  static void validate(const Config& c, ConfigChecker& check);
  static AlertParameters alert_parameters(const Config& c);
  template <typename W>
  static void fingerprint(W& w, const Config& c) {
    w(c.half_life, c.warmup, c.false_alarm_rate, c.min_std);
    w(c.max_rate.has_value(), c.max_rate.value_or(0.0));
  }

  explicit RateDetector(const Config& c);
  [[nodiscard]] State make_state() const { return State{}; }
  Score score(State& s, double value, std::int64_t event_ms, bool learn) const {
    return scorer_.score_and_update(s, value, event_ms, learn);
  }
  template <typename Io, typename S>
  void state_fields(Io& io, S& s) const {
    io(s.ewma.mean, s.ewma.var, s.ewma.n);
    io(s.last_value);
    io.times(s.last_ms);
    io(s.has_last);
  }

 private:
  RateScorer scorer_;
};

}  // namespace edgegw::analytics
