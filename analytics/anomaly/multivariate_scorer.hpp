#pragma once
// Multivariate detectors over a device's sensor vector, from one shared model:
// an exponentially weighted mean and covariance, standardised to a correlation matrix
// and shrunk towards the identity (so a near-singular covariance — redundant or
// constant sensors — cannot make the inverse explode), then eigen-decomposed.
//
//  * Mahalanobis: d^2 = sum_j (v_j . z)^2 / lambda_j, compared with the chi-square
//    quantile with d degrees of freedom at the false-alarm rate.
//  * PCA residual: SPE = sum over discarded components of (v_j . z)^2, compared with
//    the Jackson-Mudholkar Q limit of the discarded eigenvalues.
//
// The decomposition is refreshed every `refresh_every` vectors; in between, vectors are
// scored against the last one (the model moves slowly by design). Updates are weighted
// down for outlying vectors (Huber weights on the Mahalanobis distance) so that an
// anomaly does not teach the model that it is normal.
//
// The scorer holds configuration and scratch (eigen solvers per dimension, created the
// first time a dimension is seen); one engine thread uses it. State is per device.

#include <Eigen/Dense>

#include <cstdint>
#include <memory>
#include <vector>

#include "anomaly/score.hpp"
#include "anomaly/stats_math.hpp"

namespace edgegw::analytics {

struct MultivariateState {
  Eigen::VectorXd value;  // the current vector, filled by the caller
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;    // lower triangle is authoritative
  Eigen::VectorXd sd;     // at the last refresh
  Eigen::MatrixXd basis;  // eigenvectors of the shrunk correlation, ascending eigenvalues
  Eigen::VectorXd inv_eigen;
  Eigen::VectorXd z;
  Eigen::VectorXd proj;
  SpeReference spe_ref;
  double shrinkage = 0.0;  // the lambda of the last refresh
  double spe_threshold = 0.0;
  int residual_components = 0;  // the first ones (smallest eigenvalues) are the residual
  std::uint32_t n = 0;
  std::uint32_t since_refresh = 0;
  bool model_ready = false;
};

class MultivariateScorer {
 public:
  // shrinkage < 0 means automatic (Schafer-Strimmer), else a fixed lambda in [0, 1).
  MultivariateScorer(double half_life, std::uint32_t warmup, std::uint32_t refresh_every,
                     double shrinkage, double pca_variance, double false_alarm_rate,
                     int max_dimension);
  ~MultivariateScorer();
  MultivariateScorer(MultivariateScorer&&) noexcept;
  MultivariateScorer& operator=(MultivariateScorer&&) noexcept;

  [[nodiscard]] static MultivariateState make_state(int dimension);

  // Scores state.value (which must be finite) against the model, then learns it unless
  // `learn` is false (a frozen baseline).
  void score_and_update(MultivariateState& state, Score& mahalanobis, Score& pca,
                        bool learn = true);

  [[nodiscard]] double shrinkage() const { return shrinkage_; }
  [[nodiscard]] double pca_variance() const { return pca_variance_; }

 private:
  void refresh(MultivariateState& state);
  double chi2_threshold(int dimension);

  double alpha_;
  std::uint32_t warmup_;
  std::uint32_t refresh_every_;
  double shrinkage_;
  double pca_variance_;
  double false_alarm_rate_;
  std::vector<double> chi2_thresholds_;  // by dimension, computed on first use
  std::vector<std::unique_ptr<Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>>> solvers_;
  Eigen::MatrixXd corr_;  // scratch, resized when the dimension changes
};

}  // namespace edgegw::analytics
