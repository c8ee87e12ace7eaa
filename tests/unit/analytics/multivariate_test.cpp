#include <catch2/catch.hpp>

#include <cmath>

#include "analytics_test_support.hpp"
#include "anomaly/ewma_scorer.hpp"
#include "anomaly/multivariate_scorer.hpp"

using namespace edgegw::analytics;
using edgegw::analytics::testing::Noise;

namespace {

// Three strongly correlated sensors driven by one latent factor, plus small noise.
void correlated(Noise& noise, Eigen::VectorXd& v) {
  const double f = noise.gaussian();
  v(0) = 20.0 + 5.0 * f + 0.2 * noise.gaussian();
  v(1) = 100.0 + 30.0 * f + 1.0 * noise.gaussian();
  v(2) = -3.0 - 1.0 * f + 0.05 * noise.gaussian();
}

}  // namespace

TEST_CASE("a broken correlation is caught by Mahalanobis and PCA, not by univariate z", "[unit]") {
  MultivariateScorer scorer(500, 100, 8, -1.0, 0.9, 1e-4, 8);
  MultivariateState state = MultivariateScorer::make_state(3);
  const EwmaScorer ewma(500, 100, 1e-4, 3.0, 0.0);
  EwmaState e0;
  EwmaState e1;
  EwmaState e2;
  Noise noise(21);
  Score m;
  Score p;
  for (int i = 0; i < 3000; ++i) {
    correlated(noise, state.value);
    (void)ewma.score_and_update(e0, state.value(0));
    (void)ewma.score_and_update(e1, state.value(1));
    (void)ewma.score_and_update(e2, state.value(2));
    scorer.score_and_update(state, m, p);
  }
  REQUIRE(m.ready);
  REQUIRE(p.ready);
  // Each sensor within 1.5 sigma of its mean, but sensor 1 moves against the factor.
  state.value << 20.0 + 5.0, 100.0 - 30.0, -3.0 - 1.0;
  CHECK(ewma.score_and_update(e0, state.value(0)).ratio < 1.0);
  CHECK(ewma.score_and_update(e1, state.value(1)).ratio < 1.0);
  CHECK(ewma.score_and_update(e2, state.value(2)).ratio < 1.0);
  scorer.score_and_update(state, m, p);
  CHECK(m.ratio > 1.0);
  CHECK(p.ratio > 1.0);
  CHECK(m.p_value < 1e-4);
  CHECK(p.p_value < 1e-4);
  // The same excursion along the factor is normal for both.
  state.value << 20.0 + 5.0, 100.0 + 30.0, -3.0 - 1.0;
  scorer.score_and_update(state, m, p);
  CHECK(m.ratio < 1.0);
  CHECK(p.ratio < 1.0);
}

TEST_CASE("Mahalanobis and PCA false-alarm rates on clean correlated data", "[unit]") {
  const double far = 1e-3;
  MultivariateScorer scorer(2000, 200, 8, -1.0, 0.9, far, 8);
  MultivariateState state = MultivariateScorer::make_state(3);
  Noise noise(33);
  Score m;
  Score p;
  int ready = 0;
  int m_alarms = 0;
  int p_alarms = 0;
  for (int i = 0; i < 100'000; ++i) {
    correlated(noise, state.value);
    scorer.score_and_update(state, m, p);
    if (m.ready) {
      ++ready;
      m_alarms += m.ratio >= 1.0 ? 1 : 0;
      p_alarms += p.ratio >= 1.0 ? 1 : 0;
    }
  }
  const double m_rate = static_cast<double>(m_alarms) / ready;
  const double p_rate = static_cast<double>(p_alarms) / ready;
  CAPTURE(m_rate, p_rate);
  // Shrinkage makes Mahalanobis conservative; estimation noise makes both a little
  // liberal: a factor of 3 either way is what a user can count on.
  CHECK(m_rate < far * 3.0);
  CHECK(p_rate < far * 3.0);
  CHECK(p_rate > far / 3.0);
  CHECK(m_rate > far / 3.0);
}

TEST_CASE("near-singular covariance does not explode", "[unit]") {
  MultivariateScorer scorer(200, 50, 4, -1.0, 0.9, 1e-4, 8);
  MultivariateState state = MultivariateScorer::make_state(4);
  Noise noise(8);
  Score m;
  Score p;
  for (int i = 0; i < 2000; ++i) {
    const double x = noise.gaussian();
    // A duplicated sensor, a scaled copy, and a constant one.
    state.value << x, x, 2.0 * x + 1.0, 7.0;
    scorer.score_and_update(state, m, p);
    REQUIRE(std::isfinite(m.statistic));
    REQUIRE(std::isfinite(p.statistic));
    REQUIRE(std::isfinite(state.mean.sum()));
    if (m.ready) {
      CHECK(m.ratio < 1.0);
    }
  }
  // Breaking the duplicate is visible.
  state.value << 1.0, -1.0, 3.0, 7.0;
  scorer.score_and_update(state, m, p);
  CHECK(m.ratio > 1.0);
  CHECK(p.ratio > 1.0);
}

TEST_CASE("an outlier does not teach the multivariate model", "[unit]") {
  MultivariateScorer scorer(500, 100, 1, -1.0, 0.9, 1e-4, 8);
  MultivariateState state = MultivariateScorer::make_state(3);
  Noise noise(4);
  Score m;
  Score p;
  for (int i = 0; i < 2000; ++i) {
    correlated(noise, state.value);
    scorer.score_and_update(state, m, p);
  }
  const Eigen::VectorXd mean_before = state.mean;
  for (int i = 0; i < 5; ++i) {
    state.value << 1e6, -1e6, 1e6;
    scorer.score_and_update(state, m, p);
    CHECK(m.ratio > 1.0);
  }
  // Huber-weighted updates: five absurd vectors move the mean by little.
  CHECK((state.mean - mean_before).norm() < 50.0);
  correlated(noise, state.value);
  scorer.score_and_update(state, m, p);
  CHECK(std::isfinite(m.statistic));
}
