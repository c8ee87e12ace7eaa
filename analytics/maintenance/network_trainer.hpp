#pragma once
// Training of small dense networks (and the closed-form ridge special case) on feature
// matrices, in Eigen. Features are columns: x is features × samples.
//
// The network trainer uses Adam with decoupled weight decay (AdamW), minibatches in a
// seeded shuffle, and early stopping: after each epoch the validation RMSE is measured,
// the best weights are kept, and training stops after `patience` epochs without
// improvement. Deterministic for a seed; single-threaded.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "edgegw/analytics/maintenance_model.hpp"

namespace edgegw::analytics {

struct NetworkTrainingConfig {
  // 1-D convolutions before the dense layers, filters per layer (empty: a dense network).
  // Their input is `channels` values per time step, time-major (FeatureSpec::sequence).
  std::vector<int> conv_filters;
  int kernel = 10;
  int channels = 0;
  std::vector<int> hidden = {32, 16};
  int max_epochs = 200;
  int patience = 15;
  int batch_size = 128;
  double learning_rate = 1e-3;
  double weight_decay = 1e-4;
  // Inverted dropout on the inputs of the dense layers after the first layer (training
  // only): the fraction of a hidden layer's outputs zeroed in each minibatch.
  double dropout = 0.0;
  // Gaussian noise of this standard deviation added to every (standardized) input of each
  // training minibatch, drawn afresh each time: the network cannot memorize the noise of
  // the training histories' individual samples.
  double input_noise = 0.0;
  std::uint64_t seed = 1;
  // Round the final weights to float32, so that a compact file stores them exactly.
  bool float32_weights = false;
};

struct NetworkTrainingResult {
  Network network;  // the weights of the best validation epoch
  int best_epoch = 0;
  int epochs_run = 0;
  double best_validation_rmse = 0.0;
  std::vector<double> train_rmse;       // per epoch
  std::vector<double> validation_rmse;  // per epoch
};

[[nodiscard]] NetworkTrainingResult train_network(const Eigen::MatrixXd& x_train,
                                                  const Eigen::VectorXd& y_train,
                                                  const Eigen::MatrixXd& x_val,
                                                  const Eigen::VectorXd& y_val,
                                                  const NetworkTrainingConfig& config);

// Ridge regression as a one-layer linear network; the intercept is not penalized.
// lambda is relative to the sample count (the penalty is lambda · n · |w|²).
[[nodiscard]] Network fit_ridge(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda);

// The gradient of half the mean squared error over the columns of x with respect to every
// weight and bias, in the network's own layout (for checking the backward pass).
[[nodiscard]] Network loss_gradient(const Network& network, const Eigen::MatrixXd& x,
                                    const Eigen::VectorXd& y);

// Outputs of a network for every column of x (dense or convolutional layers).
[[nodiscard]] Eigen::VectorXd predict_batch(const Network& network, const Eigen::MatrixXd& x);

}  // namespace edgegw::analytics
