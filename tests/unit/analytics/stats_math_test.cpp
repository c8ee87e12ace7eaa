#include <catch2/catch.hpp>

#include <cmath>

#include "anomaly/stats_math.hpp"

using namespace edgegw::analytics;

TEST_CASE("normal quantile inverts the upper tail", "[unit]") {
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-12));
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-10));
  CHECK(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-8));
  for (double z : {0.1, 1.0, 3.0, 5.0}) {
    CHECK(normal_quantile(1.0 - normal_upper_tail(z)) == Approx(z).epsilon(1e-6));
    CHECK(-normal_quantile(normal_upper_tail(z)) == Approx(z).epsilon(1e-9));
  }
  CHECK(std::isinf(normal_quantile(0.0)));
  CHECK(normal_upper_tail(std::nan("")) == 1.0);
}

TEST_CASE("chi-square tail and quantile match tables", "[unit]") {
  // Reference values: chi2.isf(alpha, k) from standard tables.
  CHECK(chi2_upper_quantile(0.05, 1) == Approx(3.841458820694124).epsilon(1e-8));
  CHECK(chi2_upper_quantile(0.01, 2) == Approx(9.210340371976182).epsilon(1e-8));
  CHECK(chi2_upper_quantile(1e-4, 8) == Approx(31.82763).epsilon(1e-5));
  CHECK(chi2_upper_quantile(1e-4, 30) == Approx(67.63263).epsilon(1e-6));  // closed form, even k
  CHECK(chi2_upper_tail(2.0 * std::log(100.0), 2) == Approx(0.01).epsilon(1e-10));
  for (double k : {1.0, 3.0, 10.0, 50.0}) {
    const double x = chi2_upper_quantile(1e-3, k);
    CHECK(chi2_upper_tail(x, k) == Approx(1e-3).epsilon(1e-6));
  }
  CHECK(gamma_p(2.5, 0.0) == 0.0);
  CHECK(gamma_q(2.5, INFINITY) == 0.0);
  CHECK(gamma_p(3.0, 2.0) + gamma_q(3.0, 2.0) == Approx(1.0));
}

TEST_CASE("Jackson-Mudholkar threshold and p-value agree", "[unit]") {
  // Equal residual eigenvalues of 1: SPE is chi-square with 4 degrees of freedom, and
  // the approximation should land close to the exact quantile.
  const SpeReference ref{4.0, 4.0, 4.0};
  const double t = spe_threshold(ref, 1e-3);
  CHECK(t == Approx(chi2_upper_quantile(1e-3, 4)).epsilon(0.05));
  CHECK(spe_upper_tail(ref, t) == Approx(1e-3).epsilon(1e-6));
  // A dominant residual eigenvalue drives h0 below zero: Box's approximation takes over.
  const SpeReference skewed{10.0, 100.0, 1000.0};
  const double ts = spe_threshold(skewed, 1e-3);
  CHECK(std::isfinite(ts));
  CHECK(ts > 10.0);
  CHECK(spe_upper_tail(skewed, ts) == Approx(1e-3).epsilon(0.1));
  CHECK(std::isinf(spe_threshold(SpeReference{}, 1e-3)));
}
