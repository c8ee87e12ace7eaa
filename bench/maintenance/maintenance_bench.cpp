// Costs of predictive maintenance on the ingest thread, with models of the shapes that
// `edgegw train` makes for C-MAPSS FD001: the MLP (15 sensors, windows 5/15/30/60/90, an
// ensemble of five 32-16 networks) and the CNN (15 sensors × 30 samples, convolutions of
// 10, 10, 10, 10 and 1 filters with 10 taps, a dense layer of 100, five members). Weights
// are random: cost does not depend on their values.

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "edgegw/analytics/maintenance_predictor.hpp"
#include "edgegw/analytics/maintenance_training.hpp"
#include "edgegw/analytics/maintenance_trend.hpp"
#include "maintenance/feature_window.hpp"
#include "maintenance/rul_evaluator.hpp"
#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

constexpr int kSensors = 15;

std::shared_ptr<const RulModel> fd001_shaped_model(int members) {
  SplitMix rng(1);
  auto m = std::make_shared<RulModel>();
  m->name = "bench";
  m->kind = "mlp";
  for (int s = 0; s < kSensors; ++s)
    m->features.sensors.push_back("s" + std::to_string(s));
  m->features.windows = {5, 15, 30, 60, 90};
  m->features.regimes.settings = {"setting1"};
  m->features.regimes.setting_mean = {0.0};
  m->features.regimes.setting_scale = {1.0};
  m->features.regimes.centers = {{0.0}};
  m->features.regimes.sensor_mean = {std::vector<double>(kSensors, 0.0)};
  m->features.regimes.sensor_std = {std::vector<double>(kSensors, 1.0)};
  const int d = static_cast<int>(m->features.feature_count());
  m->feature_mean.assign(static_cast<std::size_t>(d), 0.0);
  m->feature_scale.assign(static_cast<std::size_t>(d), 1.0);
  for (int k = 0; k < members; ++k) {
    Network net;
    int in = d;
    for (int out : {32, 16, 1}) {
      DenseLayer l;
      l.inputs = in;
      l.outputs = out;
      l.activation = out == 1 ? "linear" : "relu";
      for (int i = 0; i < in * out; ++i)
        l.weights.push_back(0.1 * rng.normal());
      l.bias.assign(static_cast<std::size_t>(out), 0.0);
      net.layers.push_back(std::move(l));
      in = out;
    }
    m->members.push_back(std::move(net));
  }
  m->band.upper_edges = {1e300};
  m->band.sigma = {10.0};
  return m;
}

DenseLayer random_layer(int inputs, int outputs, int rows, int cols, const char* activation,
                        SplitMix& rng) {
  DenseLayer l;
  l.inputs = inputs;
  l.outputs = outputs;
  l.activation = activation;
  for (int i = 0; i < rows * cols; ++i)
    l.weights.push_back(0.1 * rng.normal());
  l.bias.assign(static_cast<std::size_t>(rows), 0.0);
  return l;
}

// The CNN's shape follows the defaults of TrainingConfig.
std::shared_ptr<const RulModel> fd001_shaped_cnn(int members) {
  const TrainingConfig defaults;
  SplitMix rng(1);
  auto m = std::const_pointer_cast<RulModel>(fd001_shaped_model(1));
  m->kind = "cnn";
  m->features.windows.clear();
  m->features.sequence = defaults.sequence;
  const int steps = defaults.sequence;
  const int d = static_cast<int>(m->features.feature_count());
  m->feature_mean.assign(static_cast<std::size_t>(d), 0.0);
  m->feature_scale.assign(static_cast<std::size_t>(d), 1.0);
  m->members.clear();
  for (int k = 0; k < members; ++k) {
    Network net;
    int channels = kSensors;
    for (int filters : defaults.conv_filters) {
      DenseLayer l = random_layer(steps * channels, steps * filters, filters,
                                  defaults.kernel * channels, "relu", rng);
      l.kernel = defaults.kernel;
      l.channels = channels;
      net.layers.push_back(std::move(l));
      channels = filters;
    }
    int in = steps * channels;
    for (int out : defaults.cnn_hidden) {
      net.layers.push_back(random_layer(in, out, out, in, "relu", rng));
      in = out;
    }
    net.layers.push_back(random_layer(in, 1, 1, in, "linear", rng));
    m->members.push_back(std::move(net));
  }
  return m;
}

void BM_FeatureUpdate(benchmark::State& state) {
  const auto model = fd001_shaped_model(1);
  FeatureWindow w(model->features);
  std::vector<double> x(kSensors, 1.0);
  const double setting = 0.0;
  for (auto _ : state) {
    x[0] += 0.001;
    w.push(x.data(), &setting);
    benchmark::ClobberMemory();
  }
  state.counters["window_bytes"] = static_cast<double>(w.bytes());
}
BENCHMARK(BM_FeatureUpdate);

void BM_FeatureCompute(benchmark::State& state) {
  const auto model = fd001_shaped_model(1);
  FeatureWindow w(model->features);
  std::vector<double> x(kSensors, 1.0);
  const double setting = 0.0;
  for (int i = 0; i < 100; ++i)
    w.push(x.data(), &setting);
  Eigen::VectorXd f(static_cast<Eigen::Index>(model->features.feature_count()));
  for (auto _ : state) {
    w.features(f);
    benchmark::DoNotOptimize(f.data());
  }
  state.counters["features"] = static_cast<double>(f.size());
}
BENCHMARK(BM_FeatureCompute);

// One prediction from a feature vector (or sequence) already in hand.
void predict_each_time(benchmark::State& state, const std::shared_ptr<const RulModel>& model) {
  RulEvaluator e(*model);
  const Eigen::VectorXd f = Eigen::VectorXd::Ones(e.feature_count());
  for (auto _ : state) {
    benchmark::DoNotOptimize(e.predict(f).rul);
  }
  state.counters["parameters"] = static_cast<double>(model->parameter_count());
  state.counters["model_bytes"] = static_cast<double>(e.bytes());
}

void BM_Inference(benchmark::State& state) {
  predict_each_time(state, fd001_shaped_model(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Inference)->Arg(1)->Arg(5);

void BM_CnnInference(benchmark::State& state) {
  predict_each_time(state, fd001_shaped_cnn(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_CnnInference)->Arg(1)->Arg(5);

// The whole per-sample path: name lookup, window update, and (every `cadence` samples)
// features, inference and the alert state machine.
void observe_each_sample(benchmark::State& state, std::shared_ptr<const RulModel> model) {
  MaintenanceConfig config;
  config.cadence_samples = static_cast<int>(state.range(0));
  RulPredictor predictor(std::move(model), config);
  Sample s;
  s.device = "engine-0042";
  s.readings.push_back(Reading{"setting1", 0.0, ""});
  for (int i = 0; i < kSensors; ++i)
    s.readings.push_back(Reading{"s" + std::to_string(i), 1.0, ""});
  for (auto _ : state) {
    s.readings[1].value += 0.001;
    benchmark::DoNotOptimize(predictor.observe(s, s.timestamp_ms));
  }
  state.counters["bytes_per_device"] = static_cast<double>(predictor.bytes_per_device());
}

void BM_PredictorObserve(benchmark::State& state) {
  observe_each_sample(state, fd001_shaped_model(5));
}
BENCHMARK(BM_PredictorObserve)->Arg(1)->Arg(10);

void BM_CnnPredictorObserve(benchmark::State& state) {
  observe_each_sample(state, fd001_shaped_cnn(5));
}
BENCHMARK(BM_CnnPredictorObserve)->Arg(1)->Arg(10);

void BM_TrendFit(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SplitMix rng(2);
  std::vector<double> t, y;
  for (std::size_t i = 0; i < n; ++i) {
    t.push_back(static_cast<double>(i));
    y.push_back(0.5 * static_cast<double>(i) + rng.normal());
  }
  TrendFitter fitter(n);
  TrendConfig config;
  config.threshold = 100.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fitter.fit(t.data(), y.data(), n, config).time_to_threshold);
  }
}
BENCHMARK(BM_TrendFit)->Arg(32)->Arg(64);

}  // namespace
}  // namespace edgegw::analytics

BENCHMARK_MAIN();
