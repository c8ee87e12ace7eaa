#include <catch2/catch.hpp>
#include <cmath>

#include "maintenance/network_trainer.hpp"
#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

void make_data(int n, std::uint64_t seed, double noise, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  SplitMix rng(seed);
  x.resize(2, n);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    x(0, i) = 2.0 * rng.uniform() - 1.0;
    x(1, i) = 2.0 * rng.uniform() - 1.0;
    y[i] = x(0, i) * x(0, i) + 0.5 * std::abs(x(1, i)) + noise * rng.normal();  // nonlinear
  }
}

double rmse(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return std::sqrt((a - b).squaredNorm() / static_cast<double>(a.size()));
}

TEST_CASE("ridge recovers known coefficients", "[unit]") {
  SplitMix rng(3);
  Eigen::MatrixXd x(3, 400);
  Eigen::VectorXd y(400);
  for (int i = 0; i < 400; ++i) {
    for (int j = 0; j < 3; ++j)
      x(j, i) = rng.normal();
    y[i] = 2.0 * x(0, i) - 1.0 * x(1, i) + 0.5 * x(2, i) + 3.0;
  }
  const Network net = fit_ridge(x, y, 1e-9);
  REQUIRE(net.layers.size() == 1);
  CHECK(net.layers[0].weights[0] == Approx(2.0).margin(1e-6));
  CHECK(net.layers[0].weights[1] == Approx(-1.0).margin(1e-6));
  CHECK(net.layers[0].weights[2] == Approx(0.5).margin(1e-6));
  CHECK(net.layers[0].bias[0] == Approx(3.0).margin(1e-6));
  // A strong penalty shrinks the weights towards zero.
  const Network shrunk = fit_ridge(x, y, 10.0);
  CHECK(std::abs(shrunk.layers[0].weights[0]) < 0.5);
}

TEST_CASE("the network learns a nonlinear function that ridge cannot", "[unit]") {
  Eigen::MatrixXd xt, xv;
  Eigen::VectorXd yt, yv;
  make_data(2000, 1, 0.0, xt, yt);
  make_data(500, 2, 0.0, xv, yv);
  NetworkTrainingConfig c;
  c.hidden = {16, 8};
  c.max_epochs = 150;
  c.patience = 20;
  c.batch_size = 32;
  c.learning_rate = 3e-3;
  c.weight_decay = 0.0;
  const NetworkTrainingResult r = train_network(xt, yt, xv, yv, c);
  const double net_error = rmse(predict_batch(r.network, xv), yv);
  const double linear_error = rmse(predict_batch(fit_ridge(xt, yt, 1e-6), xv), yv);
  CHECK(net_error < 0.05);
  CHECK(net_error < 0.3 * linear_error);
  CHECK(net_error == Approx(r.best_validation_rmse));
}

TEST_CASE("early stopping ends training and keeps the best epoch", "[unit]") {
  Eigen::MatrixXd xt, xv;
  Eigen::VectorXd yt, yv;
  make_data(40, 3, 0.5, xt, yt);  // few noisy samples: a big network overfits
  make_data(400, 4, 0.5, xv, yv);
  NetworkTrainingConfig c;
  c.hidden = {64, 64};
  c.max_epochs = 2000;
  c.patience = 10;
  c.batch_size = 8;
  c.learning_rate = 1e-2;
  c.weight_decay = 0.0;
  const NetworkTrainingResult r = train_network(xt, yt, xv, yv, c);
  CHECK(r.epochs_run < c.max_epochs);
  CHECK(r.epochs_run == r.best_epoch + c.patience);
  CHECK(r.validation_rmse.back() > r.best_validation_rmse);
}

TEST_CASE("network training is deterministic for a seed", "[unit]") {
  Eigen::MatrixXd xt, xv;
  Eigen::VectorXd yt, yv;
  make_data(300, 5, 0.1, xt, yt);
  make_data(100, 6, 0.1, xv, yv);
  NetworkTrainingConfig c;
  c.max_epochs = 5;
  const NetworkTrainingResult a = train_network(xt, yt, xv, yv, c);
  const NetworkTrainingResult b = train_network(xt, yt, xv, yv, c);
  CHECK(a.network.layers[0].weights == b.network.layers[0].weights);
  CHECK(a.validation_rmse == b.validation_rmse);
  c.seed = 2;
  const NetworkTrainingResult other = train_network(xt, yt, xv, yv, c);
  CHECK(other.network.layers[0].weights != a.network.layers[0].weights);
}

}  // namespace
}  // namespace edgegw::analytics
