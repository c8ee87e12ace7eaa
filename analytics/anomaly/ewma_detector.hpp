#pragma once
// The ewma detector (EwmaConfig) as a unit (sensor_detector.hpp): each value's robust
// z-score against its sensor's exponentially weighted mean and variance (EwmaScorer).

#include <cstdint>

#include "anomaly/config_checker.hpp"
#include "anomaly/ewma_scorer.hpp"
#include "anomaly/sensor_detector.hpp"

namespace edgegw::analytics {

class EwmaDetector {
 public:
  using Config = EwmaConfig;
  using State = EwmaState;
  static constexpr DetectorKind kKind = DetectorKind::ewma;

  static const Config& config_of(const ProfileConfig& p) { return p.ewma; }
  static void validate(const Config& c, ConfigChecker& check);
  static AlertParameters alert_parameters(const Config& c);
  template <typename W>
  static void fingerprint(W& w, const Config& c) {
    w(c.half_life, c.warmup, c.false_alarm_rate, c.clip, c.min_std);
  }

  explicit EwmaDetector(const Config& c);
  [[nodiscard]] State make_state() const { return State{}; }
  Score score(State& s, double value, std::int64_t /*event_ms*/, bool learn) const {
    return scorer_.score_and_update(s, value, learn);
  }
  template <typename Io, typename S>
  void state_fields(Io& io, S& s) const {
    io(s.mean, s.var, s.n);
  }

 private:
  EwmaScorer scorer_;
};

}  // namespace edgegw::analytics
