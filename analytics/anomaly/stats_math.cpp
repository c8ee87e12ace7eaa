#include "anomaly/stats_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace edgegw::analytics {
namespace {

constexpr double kEpsilon = 1e-15;
constexpr int kMaxIterations = 500;

// Series expansion of P(a, x); converges quickly for x < a + 1.
double gamma_p_series(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEpsilon) {
      break;
    }
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Continued fraction of Q(a, x) (modified Lentz); converges for x >= a + 1.
double gamma_q_fraction(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) {
      d = kTiny;
    }
    c = b + an / c;
    if (std::fabs(c) < kTiny) {
      c = kTiny;
    }
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) {
      break;
    }
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

}  // namespace

double normal_upper_tail(double z) {
  if (std::isnan(z)) {
    return 1.0;
  }
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

double normal_surprise(double z) {
  const double q = normal_upper_tail(z);
  if (q > 1e-300) {
    return -std::log10(q);
  }
  // Mills ratio: Q(z) ~ phi(z) / z for large z.
  return (0.5 * z * z + std::log(z * std::sqrt(2.0 * std::numbers::pi))) / std::numbers::ln10;
}

double normal_quantile(double p) {
  if (!(p > 0.0)) {
    return -std::numeric_limits<double>::infinity();
  }
  if (!(p < 1.0)) {
    return std::numeric_limits<double>::infinity();
  }
  // Acklam's rational approximation, then one Halley step on erfc for full precision.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x = 0.0;
  if (p < kLow) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log(1.0 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2.0 * M_PI) * std::exp(x * x / 2.0);
  return x - u / (1.0 + x * u / 2.0);
}

double gamma_p(double a, double x) {
  if (!(x > 0.0) || !(a > 0.0)) {
    return 0.0;
  }
  if (std::isinf(x)) {
    return 1.0;
  }
  return x < a + 1.0 ? gamma_p_series(a, x) : 1.0 - gamma_q_fraction(a, x);
}

double gamma_q(double a, double x) {
  if (!(x > 0.0) || !(a > 0.0)) {
    return 1.0;
  }
  if (std::isinf(x)) {
    return 0.0;
  }
  return x < a + 1.0 ? 1.0 - gamma_p_series(a, x) : gamma_q_fraction(a, x);
}

double chi2_upper_tail(double x, double k) {
  return gamma_q(k / 2.0, x / 2.0);
}

double chi2_upper_quantile(double alpha, double k) {
  if (!(alpha > 0.0)) {
    return std::numeric_limits<double>::infinity();
  }
  if (!(alpha < 1.0)) {
    return 0.0;
  }
  // The tail is monotone: bracket, then bisect (config time only, so simplicity wins).
  double lo = 0.0;
  double hi = std::max(1.0, k);
  while (chi2_upper_tail(hi, k) > alpha) {
    lo = hi;
    hi *= 2.0;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (chi2_upper_tail(mid, k) > alpha) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

namespace {

// h0 of Jackson-Mudholkar; when it is not safely positive (a few dominant residual
// eigenvalues), Box's scaled chi-square g*chi2(h) is the better approximation.
double jm_h0(const SpeReference& ref) {
  return 1.0 - 2.0 * ref.theta1 * ref.theta3 / (3.0 * ref.theta2 * ref.theta2);
}

constexpr double kMinH0 = 0.05;

}  // namespace

double spe_threshold(const SpeReference& ref, double alpha) {
  if (!(ref.theta1 > 0.0) || !(ref.theta2 > 0.0)) {
    return std::numeric_limits<double>::infinity();
  }
  const double h0 = jm_h0(ref);
  if (h0 < kMinH0) {
    const double g = ref.theta2 / ref.theta1;
    const double h = ref.theta1 * ref.theta1 / ref.theta2;
    // Wilson-Hilferty: closed form, because this runs at every model refresh.
    const double z = normal_quantile(1.0 - alpha);
    const double v = 2.0 / (9.0 * h);
    return g * h * std::pow(std::max(1.0 - v + z * std::sqrt(v), 0.0), 3.0);
  }
  const double c = normal_quantile(1.0 - alpha);
  const double t1 = ref.theta1;
  const double inner = c * std::sqrt(2.0 * ref.theta2 * h0 * h0) / t1 + 1.0 +
                       ref.theta2 * h0 * (h0 - 1.0) / (t1 * t1);
  return t1 * std::pow(std::max(inner, 0.0), 1.0 / h0);
}

double spe_upper_tail(const SpeReference& ref, double spe) {
  if (!(ref.theta1 > 0.0) || !(ref.theta2 > 0.0) || std::isnan(spe)) {
    return 1.0;
  }
  const double h0 = jm_h0(ref);
  if (h0 < kMinH0) {
    const double g = ref.theta2 / ref.theta1;
    const double h = ref.theta1 * ref.theta1 / ref.theta2;
    return chi2_upper_tail(spe / g, h);
  }
  // Inverts the threshold formula: the normal deviate that would give this SPE.
  const double t1 = ref.theta1;
  const double c =
      t1 *
      (std::pow(std::max(spe, 0.0) / t1, h0) - 1.0 - ref.theta2 * h0 * (h0 - 1.0) / (t1 * t1)) /
      std::sqrt(2.0 * ref.theta2 * h0 * h0);
  return normal_upper_tail(c);
}

}  // namespace edgegw::analytics
