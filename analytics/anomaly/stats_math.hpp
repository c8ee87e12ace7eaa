#pragma once
// Distribution functions the detectors need to turn a false-alarm rate into a threshold
// and a statistic into a p-value. Eigen has no statistics, so they are here: pure
// functions, double precision, no allocation.

namespace edgegw::analytics {

// P(Z > z) for a standard normal Z, accurate far into the tail.
double normal_upper_tail(double z);
// -log10 P(Z > z): finite however far into the tail (asymptotic beyond double range).
double normal_surprise(double z);
// The z with P(Z <= z) = p, for p in (0, 1).
double normal_quantile(double p);

// Regularized lower and upper incomplete gamma functions P(a, x) and Q(a, x) = 1 - P.
double gamma_p(double a, double x);
double gamma_q(double a, double x);

// Chi-square with k degrees of freedom: P(X > x) and the x with P(X > x) = alpha.
double chi2_upper_tail(double x, double k);
double chi2_upper_quantile(double alpha, double k);

// The squared prediction error (Q statistic) of a PCA model, from the eigenvalues of
// the discarded components: theta_i = sum of lambda^i. Jackson & Mudholkar (1979).
struct SpeReference {
  double theta1 = 0.0;
  double theta2 = 0.0;
  double theta3 = 0.0;
};
double spe_threshold(const SpeReference& ref, double alpha);
double spe_upper_tail(const SpeReference& ref, double spe);

}  // namespace edgegw::analytics
