#include "anomaly/multivariate_scorer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "anomaly/ewma_scorer.hpp"

namespace edgegw::analytics {
namespace {

// Vectors beyond this Mahalanobis distance (the chi-square 99.9% point) are learnt with
// weight c/d instead of 1.
constexpr double kHuberAlpha = 1e-3;
constexpr double kMinEigen = 1e-9;
// Floor of the automatic shrinkage: keeps the smallest eigenvalue away from zero when
// sensors are exact copies of each other.
constexpr double kMinShrinkage = 1e-4;

}  // namespace

MultivariateScorer::MultivariateScorer(double half_life, std::uint32_t warmup,
                                       std::uint32_t refresh_every, double shrinkage,
                                       double pca_variance, double false_alarm_rate,
                                       int max_dimension)
    : alpha_(1.0 - std::exp2(-1.0 / half_life)),
      warmup_(std::max<std::uint32_t>(warmup, 2)),
      refresh_every_(std::max<std::uint32_t>(refresh_every, 1)),
      shrinkage_(shrinkage < 0.0 ? -1.0 : std::min(shrinkage, 0.999)),
      pca_variance_(pca_variance),
      false_alarm_rate_(false_alarm_rate),
      chi2_thresholds_(static_cast<std::size_t>(2 * (max_dimension + 1)),
                       std::numeric_limits<double>::quiet_NaN()),
      solvers_(static_cast<std::size_t>(max_dimension + 1)) {}

MultivariateScorer::~MultivariateScorer() = default;
MultivariateScorer::MultivariateScorer(MultivariateScorer&&) noexcept = default;
MultivariateScorer& MultivariateScorer::operator=(MultivariateScorer&&) noexcept = default;

MultivariateState MultivariateScorer::make_state(int dimension) {
  MultivariateState s;
  s.value = Eigen::VectorXd::Zero(dimension);
  s.mean = Eigen::VectorXd::Zero(dimension);
  s.cov = Eigen::MatrixXd::Zero(dimension, dimension);
  s.sd = Eigen::VectorXd::Ones(dimension);
  s.basis = Eigen::MatrixXd::Identity(dimension, dimension);
  s.inv_eigen = Eigen::VectorXd::Ones(dimension);
  s.z = Eigen::VectorXd::Zero(dimension);
  s.proj = Eigen::VectorXd::Zero(dimension);
  return s;
}

// Even slots hold the alarm threshold, odd slots the Huber cut-off, per dimension.
double MultivariateScorer::chi2_threshold(int dimension) {
  double& t = chi2_thresholds_[static_cast<std::size_t>(2 * dimension)];
  if (std::isnan(t)) {
    t = chi2_upper_quantile(false_alarm_rate_, dimension);
    chi2_thresholds_[static_cast<std::size_t>(2 * dimension + 1)] =
        std::sqrt(chi2_upper_quantile(kHuberAlpha, dimension));
  }
  return t;
}

void MultivariateScorer::refresh(MultivariateState& s) {
  const int d = static_cast<int>(s.value.size());
  for (int i = 0; i < d; ++i) {
    s.sd(i) = std::max(std::sqrt(std::max(s.cov(i, i), 0.0)), sigma_floor(0.0, s.mean(i)));
  }
  if (corr_.rows() != d) {
    corr_.resize(d, d);
  }
  // Shrinking the correlation towards the identity is shrinking the covariance towards
  // its diagonal: unit-free, and every eigenvalue stays at least `lambda`. With `auto`,
  // lambda is the Schafer-Strimmer (Ledoit-Wolf style) estimate for this target:
  // sum Var(r_ij) / sum r_ij^2, with Var(r) ~ (1 - r^2)^2 / n_eff, so it is large when
  // correlations are weak or the sample is small and vanishes as evidence accumulates.
  double noise = 0.0;
  double signal = 0.0;
  const double n_eff = std::min<double>(s.n, (2.0 - alpha_) / alpha_);
  for (int j = 0; j < d; ++j) {
    corr_(j, j) = 1.0;
    for (int i = j + 1; i < d; ++i) {
      const double r = std::clamp(s.cov(i, j) / (s.sd(i) * s.sd(j)), -1.0, 1.0);
      corr_(i, j) = r;
      noise += (1.0 - r * r) * (1.0 - r * r) / std::max(n_eff, 1.0);
      signal += r * r;
    }
  }
  double lambda = shrinkage_;
  if (lambda < 0.0) {
    lambda = signal > 0.0 ? std::clamp(noise / signal, kMinShrinkage, 1.0) : 1.0;
  }
  for (int j = 0; j < d; ++j) {
    for (int i = j + 1; i < d; ++i) {
      corr_(i, j) *= (1.0 - lambda);
      corr_(j, i) = corr_(i, j);
    }
  }
  s.shrinkage = lambda;
  auto& solver = solvers_[static_cast<std::size_t>(d)];
  if (!solver) {
    solver = std::make_unique<Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>>(d);
  }
  solver->compute(corr_);
  if (solver->info() != Eigen::Success) {
    return;  // keep the previous model
  }
  s.basis = solver->eigenvectors();
  const Eigen::VectorXd& eig = solver->eigenvalues();
  double total = 0.0;
  for (int j = 0; j < d; ++j) {
    s.inv_eigen(j) = 1.0 / std::max(eig(j), kMinEigen);
    total += std::max(eig(j), 0.0);
  }
  // Retain the fewest leading components that explain pca_variance of the total.
  double kept = 0.0;
  int retained = 0;
  for (int j = d - 1; j >= 1 && kept < pca_variance_ * total; --j) {
    kept += std::max(eig(j), 0.0);
    ++retained;
  }
  retained = std::clamp(retained, 1, d - 1);
  s.residual_components = d - retained;
  // Shrinkage keeps the eigenvectors and maps eigenvalues mu to (1-lambda) mu + lambda.
  // The residual's reference uses the unshrunk mu: the SPE itself is not regularised,
  // and the inflated eigenvalues would make its limit far too lenient.
  s.spe_ref = SpeReference{};
  for (int j = 0; j < s.residual_components; ++j) {
    const double l = std::max((eig(j) - lambda) / std::max(1.0 - lambda, 1e-12), kMinEigen);
    s.spe_ref.theta1 += l;
    s.spe_ref.theta2 += l * l;
    s.spe_ref.theta3 += l * l * l;
  }
  s.spe_threshold = spe_threshold(s.spe_ref, false_alarm_rate_);
  s.since_refresh = 0;
  s.model_ready = true;
}

void MultivariateScorer::score_and_update(MultivariateState& s, Score& mahalanobis, Score& pca,
                                          bool learn) {
  mahalanobis = Score{};
  pca = Score{};
  const int d = static_cast<int>(s.value.size());
  if (d < 2) {
    return;
  }
  double weight = 1.0;
  if (s.n >= warmup_) {
    if (!s.model_ready || s.since_refresh >= refresh_every_) {
      refresh(s);
    }
    const double threshold = chi2_threshold(d);
    const double huber = chi2_thresholds_[static_cast<std::size_t>(2 * d + 1)];
    s.z = (s.value - s.mean).cwiseQuotient(s.sd);
    s.proj.noalias() = s.basis.transpose() * s.z;
    const double d2 = s.proj.cwiseAbs2().dot(s.inv_eigen);
    const double spe = s.proj.head(s.residual_components).squaredNorm();
    mahalanobis.ready = true;
    mahalanobis.statistic = d2;
    mahalanobis.threshold = threshold;
    mahalanobis.ratio = d2 / threshold;
    mahalanobis.p_value = chi2_upper_tail(d2, d);
    pca.ready = true;
    pca.statistic = spe;
    pca.threshold = s.spe_threshold;
    pca.ratio = spe / s.spe_threshold;
    pca.p_value = spe_upper_tail(s.spe_ref, spe);
    const double distance = std::sqrt(d2);
    if (distance > huber) {
      weight = huber / distance;
    }
  }
  if (!learn) {
    return;
  }
  // Cumulative while young, exponential afterwards, scaled down for outliers: the mean
  // by the Huber weight w, the scatter by w^2, so that an outlier's contribution to
  // either is bounded whatever its size (an M-estimator of location and scatter).
  const double a = std::max(alpha_, 1.0 / (s.n + 1.0));
  const double am = a * weight;
  const double ac = a * weight * weight;
  s.z = s.value - s.mean;  // reuse as the deviation
  s.mean += am * s.z;
  s.cov *= (1.0 - ac);
  s.cov.selfadjointView<Eigen::Lower>().rankUpdate(s.z, (1.0 - ac) * ac);
  if (s.n < UINT32_MAX) {
    ++s.n;
  }
  ++s.since_refresh;
}

}  // namespace edgegw::analytics
