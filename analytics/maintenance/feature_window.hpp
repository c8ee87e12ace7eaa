#pragma once
// The features of one device's recent history, computed the same way in training and at
// run time (so that a model sees at run time exactly what it was trained on).
//
// Each pushed sample is normalized within its operating regime and stored in a ring of
// max_window rows. features() summarizes the newest min(w, count) rows of each window
// length w: mean, slope per sample, standard deviation, min and max, plus an EWMA of
// the newest values; or, for a sequence spec, copies the newest rows out as they are.
//
// Ownership: owned by one device's state; holds a reference to the spec, which must
// outlive it (the shared model). Thread: one caller. Memory: fixed at construction.

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>

#include "edgegw/analytics/maintenance_model.hpp"

namespace edgegw::analytics {

class FeatureWindow {
 public:
  explicit FeatureWindow(const FeatureSpec& spec);

  // `sensors` holds one raw value per spec sensor and `settings` one per regime setting;
  // NaN (or infinity) means "no new value": the last known value is kept.
  void push(const double* sensors, const double* settings);

  // Writes feature_count() values: window statistics, or the sequence of the newest
  // samples when the spec asks for one. Needs at least one pushed sample.
  void features(Eigen::Ref<Eigen::VectorXd> out) const;

  void reset();
  [[nodiscard]] std::int64_t count() const { return count_; }
  [[nodiscard]] int regime() const { return regime_; }
  [[nodiscard]] std::size_t bytes() const;

 private:
  [[nodiscard]] int nearest_regime() const;
  void sequence(Eigen::Ref<Eigen::VectorXd> out) const;

  const FeatureSpec& spec_;
  int capacity_;
  Eigen::MatrixXd ring_;          // capacity × sensors, normalized values
  Eigen::VectorXd last_raw_;      // last finite raw value per sensor (NaN if none yet)
  Eigen::VectorXd settings_raw_;  // last finite value per setting
  Eigen::VectorXd standardized_;  // scratch: standardized settings
  Eigen::VectorXd ewma_;
  int head_ = 0;  // row of the next write
  std::int64_t count_ = 0;
  int regime_ = 0;
};

}  // namespace edgegw::analytics
