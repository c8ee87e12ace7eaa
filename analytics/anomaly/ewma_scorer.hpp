#pragma once
// Robust z-score of a value against an exponentially weighted mean and variance.
//
// Robust in two ways: a value's residual is clipped at `clip` sigma before it updates
// the statistics (a spike moves the mean by at most clip*sigma*alpha), and sigma has a
// floor, so a constant signal gives finite scores. The scorer holds only configuration;
// the per-sensor state is an EwmaState owned by the device.

#include <cstdint>

#include "anomaly/score.hpp"

namespace edgegw::analytics {

struct EwmaState {
  double mean = 0.0;
  double var = 0.0;
  std::uint32_t n = 0;
};

class EwmaScorer {
 public:
  EwmaScorer(double half_life, std::uint32_t warmup, double false_alarm_rate, double clip,
             double min_std);

  // Scores x against the state (predictive: before x is learnt), then learns x.
  // Non-finite x is neither scored nor learnt.
  // With `learn` false (a frozen baseline) the mean and spread stay as they are.
  Score score_and_update(EwmaState& state, double x, bool learn = true) const;

  [[nodiscard]] double z_threshold() const { return z_threshold_; }

 private:
  double alpha_;
  std::uint32_t warmup_;
  double z_threshold_;
  double clip_;
  double min_std_;
};

// sigma floor shared by the univariate scorers: the configured resolution, or a
// relative epsilon so that a constant signal does not divide by zero.
double sigma_floor(double min_std, double level);

}  // namespace edgegw::analytics
