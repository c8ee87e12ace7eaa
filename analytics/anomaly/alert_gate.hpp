#pragma once
// The lifecycle of one alert slot (device, detector or rule): raise once, report
// "updated" at most once per update interval and only when the score grew, clear after
// the score has stayed below kClearRatio of the threshold for a number of samples (or
// on the rule's own hysteresis). This is what keeps a flapping signal from spamming.

#include <cstdint>

namespace edgegw::analytics {

// Scores must fall to this fraction of the threshold to count towards clearing.
inline constexpr double kClearRatio = 0.8;

struct GateState {
  bool open = false;
  std::int64_t raised_ms = 0;
  std::int64_t last_emit_ms = 0;
  double reported_ratio = 0.0;  // the ratio of the last raised/updated alert
  std::uint32_t quiet = 0;      // consecutive samples below kClearRatio
};

enum class GateEvent { none, raise, update, clear };

class AlertGate {
 public:
  AlertGate(std::int64_t update_interval_ms, std::uint32_t clear_after_samples)
      : update_interval_ms_(update_interval_ms), clear_after_(clear_after_samples) {}

  // A detector's ratio (statistic / threshold) for the latest sample at time t.
  GateEvent on_ratio(GateState& g, double ratio, std::int64_t t_ms) const;
  // A rule or silence check that decides raise/clear itself; ratio drives updates.
  GateEvent on_condition(GateState& g, bool raise, bool clear, double ratio,
                         std::int64_t t_ms) const;
  // Forced clear (eviction, shutdown). Returns clear when the gate was open.
  static GateEvent close(GateState& g);

 private:
  GateEvent maybe_update(GateState& g, double ratio, std::int64_t t_ms) const;

  std::int64_t update_interval_ms_;
  std::uint32_t clear_after_;
};

}  // namespace edgegw::analytics
