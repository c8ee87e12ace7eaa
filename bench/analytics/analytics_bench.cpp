// ns per sample of each detector (one sensor, steady state) and of the engine with the
// default profile on devices with 8 sensors; bytes of state per device as counters.
//
//   build/bench/analytics/bench_analytics --benchmark_min_time=0.5

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "anomaly/anomaly_scorer.hpp"
#include "anomaly/episode_stage.hpp"
#include "anomaly/ewma_scorer.hpp"
#include "anomaly/mad_scorer.hpp"
#include "anomaly/multivariate_scorer.hpp"
#include "anomaly/rate_scorer.hpp"
#include "anomaly/stuck_scorer.hpp"
#include "edgegw/analytics/engine.hpp"

namespace {

using namespace edgegw::analytics;

constexpr std::size_t kSeries = 4096;

std::vector<double> gaussian_series(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n(10.0, 2.0);
  std::vector<double> v(kSeries);
  for (double& x : v) {
    x = n(rng);
  }
  return v;
}

void BM_Ewma(benchmark::State& state) {
  const std::vector<double> xs = gaussian_series(1);
  const EwmaScorer scorer(100, 30, 1e-4, 3.0, 0.0);
  EwmaState s;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(scorer.score_and_update(s, xs[i++ % kSeries]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ewma);

void BM_Mad(benchmark::State& state) {
  const std::vector<double> xs = gaussian_series(2);
  MadScorer scorer(static_cast<std::uint32_t>(state.range(0)), 32, 4, 1e-4, 0.0);
  MadState s = scorer.make_state();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(scorer.score_and_update(s, xs[i++ % kSeries]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Mad)->Arg(64)->Arg(256);

// The time-aware scorers (rate, stuck) take one sample a second of a Gaussian series.
template <typename Scorer, typename ScorerState>
void run_timed_scorer(benchmark::State& state, const Scorer& scorer, std::uint64_t seed) {
  const std::vector<double> xs = gaussian_series(seed);
  ScorerState s;
  std::int64_t t = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    t += 1000;
    benchmark::DoNotOptimize(scorer.score_and_update(s, xs[i++ % kSeries], t));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Rate(benchmark::State& state) {
  run_timed_scorer<RateScorer, RateState>(state, RateScorer(100, 30, 1e-4, 0.0, std::nullopt), 3);
}
BENCHMARK(BM_Rate);

void BM_Stuck(benchmark::State& state) {
  run_timed_scorer<StuckScorer, StuckState>(state, StuckScorer(30, 60'000, 0.0), 4);
}
BENCHMARK(BM_Stuck);

// The anomaly detector's per-sensor channels at the default memory (800 windows of 8),
// one sample a minute (daily seasonality on), steady state.
void BM_AnomalyScorer(benchmark::State& state) {
  const std::vector<double> xs = gaussian_series(5);
  const AnomalyScorer scorer{AnomalyConfig{}};
  AnomalySensorState s;
  std::int64_t t = 0;
  for (std::size_t i = 0; i < 2 * kSeries; ++i, t += 60'000) {
    scorer.score_and_update(s, xs[i % kSeries], t);
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(scorer.score_and_update(s, xs[i++ % kSeries], t));
    t += 60'000;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["state_bytes"] = static_cast<double>(AnomalyScorer::bytes(s) + sizeof s);
}
BENCHMARK(BM_AnomalyScorer);

// The device-level episode stage, per sample.
void BM_EpisodeStage(benchmark::State& state) {
  const std::vector<double> xs = gaussian_series(6);
  const EpisodeStage stage(AnomalyConfig{}, 5);
  EpisodeState s;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stage.on_score(s, xs[i++ % kSeries] / 40.0, 0));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EpisodeStage);

// Mahalanobis and PCA together (one shared model), per vector of `d` sensors.
void BM_Multivariate(benchmark::State& state) {
  const int d = static_cast<int>(state.range(0));
  std::mt19937_64 rng(6);
  std::normal_distribution<double> n(0.0, 1.0);
  std::vector<Eigen::VectorXd> vectors(256, Eigen::VectorXd(d));
  for (Eigen::VectorXd& v : vectors) {
    const double f = n(rng);
    for (int j = 0; j < d; ++j) {
      v(j) = f * (j + 1) + n(rng);
    }
  }
  MultivariateScorer scorer(500, 100, 8, -1.0, 0.9, 1e-4, 32);
  MultivariateState s = MultivariateScorer::make_state(d);
  Score m;
  Score p;
  std::size_t i = 0;
  for (auto _ : state) {
    s.value = vectors[i++ % vectors.size()];
    scorer.score_and_update(s, m, p);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Multivariate)->Arg(2)->Arg(8)->Arg(16);

// The whole engine, default profile (every detector), `devices` devices of 8 sensors
// reporting round robin. Items are samples (8 readings each).
void BM_EngineDefault8Sensors(benchmark::State& state) {
  const int devices = static_cast<int>(state.range(0));
  AnalyticsConfig config;
  config.enabled = true;
  Engine engine(config);
  Output out;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n(0.0, 1.0);
  std::vector<edgegw::Sample> samples(static_cast<std::size_t>(devices));
  for (int d = 0; d < devices; ++d) {
    edgegw::Sample& s = samples[static_cast<std::size_t>(d)];
    s.device = "device-" + std::to_string(d);
    for (int j = 0; j < 8; ++j) {
      s.readings.push_back(edgegw::Reading{"sensor" + std::to_string(j), 0.0, ""});
    }
  }
  std::int64_t t = 0;
  std::size_t i = 0;
  const auto step = [&] {
    edgegw::Sample& s = samples[i++ % samples.size()];
    if (i % samples.size() == 0) {
      t += 1000;
    }
    s.timestamp_ms = t;
    const double f = n(rng);
    for (std::size_t j = 0; j < s.readings.size(); ++j) {
      s.readings[j].value = f * static_cast<double>(j % 3) + n(rng);
    }
    engine.on_sample(s, "", t, out);
    out.aggregates.clear();
    out.alerts.clear();
  };
  for (int warm = 0; warm < devices * 300; ++warm) {
    step();  // past every warm-up
  }
  for (auto _ : state) {
    step();
  }
  state.SetItemsProcessed(state.iterations());
  const EngineStats st = engine.stats();
  state.counters["bytes_per_device"] =
      static_cast<double>(st.state_bytes) / static_cast<double>(st.devices_tracked);
  state.counters["ns_per_reading"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 8,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EngineDefault8Sensors)->Arg(1)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
