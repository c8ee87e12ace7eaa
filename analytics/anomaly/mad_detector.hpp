#pragma once
// The mad detector (MadConfig) as a unit (sensor_detector.hpp): each value's robust
// z-score against the median and MAD of its sensor's sliding window (MadScorer). The
// only per-sensor detector with a heap allocation: its window's ring.

#include <cstdint>

#include "anomaly/config_checker.hpp"
#include "anomaly/mad_scorer.hpp"
#include "anomaly/sensor_detector.hpp"

namespace edgegw::analytics {

class MadDetector {
 public:
  using Config = MadConfig;
  using State = MadState;
  static constexpr DetectorKind kKind = DetectorKind::mad;

  static const Config& config_of(const ProfileConfig& p) { return p.mad; }
  static void validate(const Config& c, ConfigChecker& check);
  static AlertParameters alert_parameters(const Config& c);
  template <typename W>
  static void fingerprint(W& w, const Config& c) {
    w(c.window, c.warmup, c.refresh_every, c.false_alarm_rate, c.min_std);
  }

  explicit MadDetector(const Config& c);
  [[nodiscard]] State make_state() const { return scorer_.make_state(); }
  // Not const: the scorer sorts in a scratch buffer of its own.
  Score score(State& s, double value, std::int64_t /*event_ms*/, bool learn) {
    return scorer_.score_and_update(s, value, learn);
  }
  template <typename Io, typename S>
  void state_fields(Io& io, S& s) const {
    const std::size_t window = scorer_.window();
    io.vec(s.ring, window);
    io(s.next, s.filled, s.since_refresh, s.median, s.scale);
    io.check(s.ring.empty() || s.ring.size() == window, "a MAD ring of another window");
    io.check(s.ring.empty() ? s.next == 0 && s.filled == 0
                            : s.next < s.ring.size() && s.filled <= s.ring.size(),
             "a MAD ring position out of range");
  }
  // The ring exists exactly when the detector watches the sensor.
  [[nodiscard]] bool state_fits(const State& s, bool watched) const {
    return watched == !s.ring.empty();
  }
  [[nodiscard]] std::uint64_t max_saved_bytes() const { return 8ULL * scorer_.window(); }
  static std::uint64_t heap_bytes(const State& s) { return s.ring.capacity() * sizeof(double); }

 private:
  MadScorer scorer_;
};

}  // namespace edgegw::analytics
