#pragma once
// The per-sensor half of the anomaly detector (AnomalyConfig): two channels, each
// z-scored against the exponentially weighted distribution of its own past statistics,
// so that one default fits signals of any scale, noise and shape.
//
// - Shape (kNN conformal): the mean Euclidean distance from the latest `window` values
//   to their `neighbours` nearest among the last `memory` windows that do not overlap
//   them; its logarithm is scored one-sided (only unusually far is anomalous).
// - Spike: the jump from a fast-smoothed baseline, scored two-sided; where a day holds
//   4..4096 samples, the smaller of that and the difference from the last value in the
//   same time-of-day bin (yesterday's), so that a daily cycle is not an anomaly.
//
// A channel's z maps to S = -log10(tail probability), then to S / (S + 8) in [0, 1):
// 0.5 at p = 1e-8. The sensor's score is the larger channel's.

#include <cstdint>
#include <vector>

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::analytics {

// Exponentially weighted mean and variance; a cumulative average while young, so that
// the first values do not leave a near-zero variance behind.
struct EwmMoments {
  double mean = 0.0;
  double var = 0.0;
  std::uint32_t n = 0;

  void add(double x, double alpha);
};

struct AnomalySensorState {
  std::vector<double> history;    // ring of past values, newest at `head`, older after it
  std::vector<double> distances;  // squared distance to each past window (by lag)
  std::uint32_t head = 0;
  std::uint64_t count = 0;  // values seen
  double min = 0.0;
  double max = 0.0;
  // The sampling interval is the median of the first gaps; it decides the daily period.
  std::vector<std::int64_t> first_times;
  std::int64_t interval_ms = 0;  // the sampling interval once known (0: no seasonality)
  std::vector<double> day;       // the last value of each time-of-day bin (NaN: none yet)
  double baseline = 0.0;         // fast EWMA the spike channel measures jumps from
  EwmMoments shape;              // of ln(kNN distance)
  EwmMoments spike;              // of value - baseline
  EwmMoments seasonal;           // of value - value a day ago
  double score = 0.0;            // the latest value's fused score
  double expected = 0.0;         // evidence: the baseline the latest value was compared with
  double scale = 0.0;            // ... and the spread of jumps from it
};

class AnomalyScorer {
 public:
  explicit AnomalyScorer(const AnomalyConfig& config);

  // Scores x at event time t (before learning it), then learns it; returns the fused
  // score in [0, 1), 0 while warming up. Non-finite x is ignored (returns 0).
  double score_and_update(AnomalySensorState& s, double x, std::int64_t t) const;

  // Bytes a sensor's state holds.
  [[nodiscard]] static std::uint64_t bytes(const AnomalySensorState& s);

 private:
  void learn_period(AnomalySensorState& s, std::int64_t t) const;
  void copy_recent(const AnomalySensorState& s) const;
  void update_distances(AnomalySensorState& s) const;
  double shape_score(AnomalySensorState& s, double x) const;
  double spike_score(AnomalySensorState& s, double x, std::int64_t t) const;
  static double* day_bin(AnomalySensorState& s, std::int64_t t);
  void push(AnomalySensorState& s, double x) const;

  std::uint32_t window_;
  std::uint32_t memory_;
  std::uint32_t neighbours_;
  double alpha_;
  std::uint32_t warmup_;
  bool seasonality_;
  // Scratch for one kNN evaluation (the engine runs on one thread): the recent values
  // in age order, and the nearest distances found.
  mutable std::vector<double> recent_;
  mutable std::vector<double> nearest_;
};

}  // namespace edgegw::analytics
