#pragma once
// The per-sensor half of the anomaly detector (AnomalyConfig): three channels, each
// z-scored against the exponentially weighted distribution of its own past statistics,
// so that one default fits signals of any scale, noise and shape.
//
// - Shape (kNN conformal): the mean Euclidean distance from the latest `window` values
//   to their `neighbours` nearest among the last `memory` windows that do not overlap
//   them; its logarithm is scored one-sided (only unusually far is anomalous).
// - Spike: the jump from a fast-smoothed baseline, scored two-sided; where the sampling
//   interval makes a day 4..4096 samples, the smallest of that and the differences from
//   the value a day of samples before and a week before (when a week is at most 4096
//   samples), so that a daily or weekly cycle is not an anomaly.
// - Level: the mean of the latest `window` values against the long-run mean and spread
//   of the values, two-sided: a shift that outlasts the spike channel's fast baseline.
//
// A channel's z maps to a surprise S = -log10(tail probability); the sensor's score is
// S / (S + 12) of the channels' summed surprise, in [0, 1): 0.5 when the channels
// together are as surprised as one channel at p = 1e-12.

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

// The values of the last period (a day, a week: as many samples as the sampling
// interval puts in it), and how a value usually differs from the one a period before.
struct SeasonalMemory {
  std::vector<float> bins;  // by sample count modulo the period, from `origin`; NaN: none yet
  EwmMoments change;
};

// Past values are kept as float offsets from `origin`, which moves to the newest value
// now and then: half the memory of doubles (the bulk of a device's state), and twice the
// values per vector instruction, with the precision of the signal's variation rather
// than of its level (a counter at 10^7 still resolves its increments).
struct AnomalySensorState {
  std::vector<float> history;    // ring of past values, newest at `head`, older after it
  std::vector<float> distances;  // squared distance to each past window (by lag)
  double origin = 0.0;           // what history and the seasonal bins are offsets from
  std::uint32_t head = 0;
  std::uint64_t count = 0;  // values seen
  double min = 0.0;
  double max = 0.0;
  // The sampling interval is the median of the first gaps; it decides the periods.
  std::vector<std::int64_t> first_times;
  SeasonalMemory daily;
  SeasonalMemory weekly;
  double baseline = 0.0;  // fast EWMA the spike channel measures jumps from
  EwmMoments shape;       // of ln(kNN distance)
  EwmMoments spike;       // of value - baseline
  EwmMoments level;       // of the values themselves
  double score = 0.0;     // the latest value's fused score
  double expected = 0.0;  // evidence: the baseline the latest value was compared with
  double scale = 0.0;     // ... and the spread of jumps from it
};

class AnomalyScorer {
 public:
  explicit AnomalyScorer(const AnomalyConfig& config);

  // Scores x at event time t (before learning it), then learns it; returns the fused
  // score in [0, 1), 0 while warming up. Non-finite x is ignored (returns 0). With
  // `learn` false (a frozen baseline) the channels' distributions stay as they are; the
  // recent values (the shapes compared with, the seasonal memories) still roll on.
  double score_and_update(AnomalySensorState& s, double x, std::int64_t t, bool learn = true) const;

  // Bytes a sensor's state holds.
  [[nodiscard]] static std::uint64_t bytes(const AnomalySensorState& s);

 private:
  void learn_period(AnomalySensorState& s, std::int64_t t) const;
  void copy_recent(const AnomalySensorState& s) const;
  static void recentre(AnomalySensorState& s, double origin);
  void update_distances(AnomalySensorState& s) const;
  void exact_distances(AnomalySensorState& s) const;
  // Each returns the channel's surprise S (0 while it warms up) and learns x.
  double shape_surprise(AnomalySensorState& s, double x, bool learn) const;
  double spike_surprise(AnomalySensorState& s, double x, bool learn) const;
  double level_surprise(AnomalySensorState& s, double x, bool learn) const;
  // min(|z|) of x against the seasonal memories that are ready (< 0: none is); learns x.
  double seasonal_z(AnomalySensorState& s, double x, double floor, bool learn) const;
  void push(AnomalySensorState& s, double x) const;

  std::uint32_t window_;
  std::uint32_t memory_;
  std::uint32_t neighbours_;
  double alpha_;
  std::uint32_t warmup_;
  bool seasonality_;
  // Scratch for one kNN evaluation (the engine runs on one thread): the recent values
  // in age order, and the nearest distances found.
  mutable std::vector<float> recent_;
  mutable std::vector<float> nearest_;
};

}  // namespace edgegw::analytics
