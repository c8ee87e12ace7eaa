#pragma once
// The stuck detector (StuckConfig) as a unit (sensor_detector.hpp): a sensor that
// repeats the same value for too long (StuckScorer). Its alerts say how long the run has
// lasted.

#include <cstdint>

#include "anomaly/config_checker.hpp"
#include "anomaly/sensor_detector.hpp"
#include "anomaly/stuck_scorer.hpp"

namespace edgegw::analytics {

class StuckDetector {
 public:
  using Config = StuckConfig;
  using State = StuckState;
  static constexpr DetectorKind kKind = DetectorKind::stuck;
  // A run length has no distribution to take a p-value from.
  static constexpr bool kReferenceDistribution = false;

  static const Config& config_of(const ProfileConfig& p) { return p.stuck; }
  static void validate(const Config& c, ConfigChecker& check);
  static AlertParameters alert_parameters(const Config& c);
  template <typename W>
  static void fingerprint(W& w, const Config& c) {
    w(c.min_samples, c.min_duration_ms, c.tolerance);
  }

  explicit StuckDetector(const Config& c);
  [[nodiscard]] State make_state() const { return State{}; }
  Score score(State& s, double value, std::int64_t event_ms, bool /*learn*/) const {
    return scorer_.score_and_update(s, value, event_ms);
  }
  template <typename Io, typename S>
  void state_fields(Io& io, S& s) const {
    io(s.value);
    io.times(s.run_start_ms);
    io(s.run);
  }
  // The evidence of an alert spans the run of repeats so far.
  static std::int64_t evidence_window_ms(const State& s, std::int64_t event_ms) {
    return event_ms - s.run_start_ms;
  }

 private:
  StuckScorer scorer_;
};

}  // namespace edgegw::analytics
