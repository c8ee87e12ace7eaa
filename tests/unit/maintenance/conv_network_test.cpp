// The 1-D convolution layers: unfolding against a direct convolution, the backward pass
// against finite differences, a temporal pattern a dense network on the same inputs
// cannot see as easily, and the single-sample inference path against the batch one.

#include <catch2/catch.hpp>
#include <cmath>

#include "maintenance/conv1d.hpp"
#include "maintenance/network_trainer.hpp"
#include "maintenance/rul_evaluator.hpp"
#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, SplitMix& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i)
    m.data()[i] = rng.normal();
  return m;
}

// A small network: two convolutions (3 channels → 4 → 2 filters over 7 steps) and a
// dense head, with random weights.
Network small_conv_network(SplitMix& rng) {
  const auto layer = [&rng](int inputs, int outputs, int rows, int cols, int kernel, int channels,
                            const char* activation) {
    DenseLayer d;
    d.inputs = inputs;
    d.outputs = outputs;
    d.kernel = kernel;
    d.channels = channels;
    d.activation = activation;
    for (int i = 0; i < rows * cols; ++i)
      d.weights.push_back(0.5 * rng.normal());
    for (int i = 0; i < rows; ++i)
      d.bias.push_back(0.1 * rng.normal());
    return d;
  };
  Network n;
  n.layers.push_back(layer(21, 28, 4, 9, 3, 3, "relu"));
  n.layers.push_back(layer(28, 14, 2, 16, 4, 4, "relu"));
  n.layers.push_back(layer(14, 5, 5, 14, 0, 0, "relu"));
  n.layers.push_back(layer(5, 1, 1, 5, 0, 0, "linear"));
  return n;
}

TEST_CASE("unfolded convolution equals the direct sum over taps", "[unit]") {
  SplitMix rng(5);
  const ConvShape shape{3, 7, 4};
  const Eigen::MatrixXd x = random_matrix(21, 2, rng);
  const Eigen::MatrixXd w = random_matrix(2, 12, rng);  // filters × (kernel · channels)
  Eigen::MatrixXd cols;
  conv_unfold(shape, x, cols);
  const Eigen::MatrixXd y = w * cols;  // filters × (steps · batch)
  for (int b = 0; b < 2; ++b) {
    for (int t = 0; t < 7; ++t) {
      for (int f = 0; f < 2; ++f) {
        double direct = 0.0;
        for (int k = 0; k < 4; ++k) {
          const int in = t + k - shape.left();
          for (int c = 0; in >= 0 && in < 7 && c < 3; ++c)
            direct += w(f, k * 3 + c) * x(in * 3 + c, b);
        }
        CHECK(y(f, b * 7 + t) == Approx(direct).margin(1e-12));
      }
    }
  }
  // Folding is the adjoint of unfolding: <unfold(x), d> = <x, fold(d)>.
  const Eigen::MatrixXd d = random_matrix(cols.rows(), cols.cols(), rng);
  Eigen::MatrixXd dx;
  conv_fold(shape, d, dx);
  CHECK((cols.array() * d.array()).sum() == Approx((x.array() * dx.array()).sum()));
}

TEST_CASE("the convolutional network's gradient matches finite differences", "[unit]") {
  SplitMix rng(11);
  const Network net = small_conv_network(rng);
  const Eigen::MatrixXd x = random_matrix(21, 6, rng);
  const Eigen::VectorXd y = random_matrix(6, 1, rng);
  const Network grad = loss_gradient(net, x, y);
  const auto loss = [&x, &y](const Network& n) {
    return 0.5 * (predict_batch(n, x) - y).squaredNorm() / static_cast<double>(x.cols());
  };
  const double h = 1e-6;
  int checked = 0;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    for (std::size_t i = 0; i < net.layers[l].weights.size(); i += 3) {
      Network plus = net, minus = net;
      plus.layers[l].weights[i] += h;
      minus.layers[l].weights[i] -= h;
      const double numeric = (loss(plus) - loss(minus)) / (2.0 * h);
      CHECK(grad.layers[l].weights[i] == Approx(numeric).margin(1e-6));
      ++checked;
    }
    for (std::size_t i = 0; i < net.layers[l].bias.size(); ++i) {
      Network plus = net, minus = net;
      plus.layers[l].bias[i] += h;
      minus.layers[l].bias[i] -= h;
      const double numeric = (loss(plus) - loss(minus)) / (2.0 * h);
      CHECK(grad.layers[l].bias[i] == Approx(numeric).margin(1e-6));
    }
  }
  CHECK(checked > 40);
}

// Sequences of 2 channels over 16 steps; the target is the size of a step change in
// channel 0 somewhere in the sequence (position random), channel 1 is noise.
void step_data(int n, std::uint64_t seed, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  SplitMix rng(seed);
  x.resize(32, n);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    const int at = 2 + static_cast<int>(rng.below(12));
    const double jump = 2.0 * rng.uniform() - 1.0;
    for (int t = 0; t < 16; ++t) {
      x(2 * t, i) = (t >= at ? jump : 0.0) + 0.05 * rng.normal();
      x(2 * t + 1, i) = rng.normal();
    }
    y[i] = jump;
  }
}

TEST_CASE("a small CNN learns a temporal pattern wherever it occurs", "[unit]") {
  Eigen::MatrixXd xt, xv;
  Eigen::VectorXd yt, yv;
  step_data(1500, 1, xt, yt);
  step_data(300, 2, xv, yv);
  NetworkTrainingConfig c;
  c.conv_filters = {6, 1};
  c.kernel = 3;
  c.channels = 2;
  c.hidden = {16};
  c.max_epochs = 60;
  c.patience = 15;
  c.batch_size = 32;
  c.learning_rate = 3e-3;
  c.weight_decay = 0.0;
  c.seed = 3;
  const NetworkTrainingResult r = train_network(xt, yt, xv, yv, c);
  const double error = std::sqrt((predict_batch(r.network, xv) - yv).squaredNorm() / 300.0);
  INFO("validation rmse " << error << " (target spread " << std::sqrt(yv.squaredNorm() / 300.0)
                          << ")");
  CHECK(error < 0.1);
  // Deterministic for a seed.
  const NetworkTrainingResult again = train_network(xt, yt, xv, yv, c);
  CHECK(again.network.layers[0].weights == r.network.layers[0].weights);
  // float32 weights are exactly floats; dropout still learns, deterministically.
  c.float32_weights = true;
  c.dropout = 0.2;
  const NetworkTrainingResult dropped = train_network(xt, yt, xv, yv, c);
  for (double w : dropped.network.layers[2].weights) {
    REQUIRE(static_cast<double>(static_cast<float>(w)) == w);
  }
  CHECK(std::sqrt((predict_batch(dropped.network, xv) - yv).squaredNorm() / 300.0) < 0.2);
  CHECK(train_network(xt, yt, xv, yv, c).network.layers[2].weights ==
        dropped.network.layers[2].weights);
}

TEST_CASE("one-sample inference equals the batch path exactly enough", "[unit]") {
  SplitMix rng(17);
  RulModel model;
  model.name = "conv";
  model.kind = "cnn";
  model.features.sensors = {"a", "b", "c"};
  model.features.sequence = 7;
  model.features.regimes.centers = {{}};
  model.features.regimes.sensor_mean = {{0.0, 0.0, 0.0}};
  model.features.regimes.sensor_std = {{1.0, 1.0, 1.0}};
  model.feature_mean.assign(21, 0.0);
  model.feature_scale.assign(21, 1.0);
  model.members = {small_conv_network(rng), small_conv_network(rng)};
  model.band = {{1e300}, {1.0}};
  REQUIRE(check_model(model).empty());
  RulEvaluator evaluator(model);
  const Eigen::MatrixXd x = random_matrix(21, 4, rng);
  const Eigen::VectorXd a = predict_batch(model.members[0], x);
  const Eigen::VectorXd b = predict_batch(model.members[1], x);
  for (Eigen::Index i = 0; i < x.cols(); ++i) {
    const double expected = std::max(0.0, (a[i] + b[i]) / 2.0);
    CHECK(evaluator.predict(x.col(i)).rul == Approx(expected).margin(1e-12));
  }
  // A convolution whose weights do not fit its kernel and channels is refused by name.
  model.members[1].layers[0].kernel = 4;
  CHECK_THAT(check_model(model), Catch::Contains("member 1 layer 0: shape does not match"));
}

}  // namespace
}  // namespace edgegw::analytics
