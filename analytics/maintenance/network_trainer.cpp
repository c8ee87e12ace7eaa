#include "maintenance/network_trainer.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEpsilon = 1e-8;

// The trainer's working form of a layer, with its gradient and Adam moments.
struct TrainLayer {
  Eigen::MatrixXd w;
  Eigen::VectorXd b;
  bool relu = false;
  Eigen::MatrixXd gw, mw, vw;
  Eigen::VectorXd gb, mb, vb;
};

std::vector<TrainLayer> init_layers(Eigen::Index inputs, const std::vector<int>& hidden,
                                    SplitMix& rng) {
  std::vector<TrainLayer> layers;
  Eigen::Index in = inputs;
  std::vector<int> sizes = hidden;
  sizes.push_back(1);
  for (std::size_t l = 0; l < sizes.size(); ++l) {
    TrainLayer t;
    const Eigen::Index out = sizes[l];
    t.relu = l + 1 < sizes.size();
    // He initialization for ReLU layers keeps activations' variance across depth.
    const double sd = std::sqrt(2.0 / static_cast<double>(in)) * (t.relu ? 1.0 : 0.5);
    t.w.resize(out, in);
    for (Eigen::Index i = 0; i < t.w.size(); ++i) {
      t.w.data()[i] = sd * rng.normal();
    }
    t.b = Eigen::VectorXd::Zero(out);
    t.mw = t.vw = t.gw = Eigen::MatrixXd::Zero(out, in);
    t.mb = t.vb = t.gb = Eigen::VectorXd::Zero(out);
    layers.push_back(std::move(t));
    in = out;
  }
  return layers;
}

Network to_network(const std::vector<TrainLayer>& layers) {
  Network n;
  for (const TrainLayer& t : layers) {
    DenseLayer d;
    d.inputs = static_cast<int>(t.w.cols());
    d.outputs = static_cast<int>(t.w.rows());
    d.activation = t.relu ? "relu" : "linear";
    // Row-major storage in the model: copy row by row from Eigen's column-major.
    d.weights.reserve(static_cast<std::size_t>(t.w.size()));
    for (Eigen::Index r = 0; r < t.w.rows(); ++r) {
      for (Eigen::Index c = 0; c < t.w.cols(); ++c) {
        d.weights.push_back(t.w(r, c));
      }
    }
    d.bias.assign(t.b.data(), t.b.data() + t.b.size());
    n.layers.push_back(std::move(d));
  }
  return n;
}

double rmse(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == 0 ? 0.0 : std::sqrt((a - b).squaredNorm() / static_cast<double>(a.size()));
}

}  // namespace

Eigen::VectorXd predict_batch(const Network& network, const Eigen::MatrixXd& x) {
  Eigen::MatrixXd a = x;
  for (const DenseLayer& d : network.layers) {
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        w(d.weights.data(), d.outputs, d.inputs);
    const Eigen::Map<const Eigen::VectorXd> b(d.bias.data(), d.outputs);
    Eigen::MatrixXd z = w * a;
    z.colwise() += b;
    if (d.activation == "relu") {
      z = z.cwiseMax(0.0);
    }
    a = std::move(z);
  }
  return a.row(0).transpose();
}

NetworkTrainingResult train_network(const Eigen::MatrixXd& x_train, const Eigen::VectorXd& y_train,
                                    const Eigen::MatrixXd& x_val, const Eigen::VectorXd& y_val,
                                    const NetworkTrainingConfig& config) {
  if (x_train.cols() == 0 || x_train.cols() != y_train.size() || x_val.cols() != y_val.size()) {
    throw std::invalid_argument("network training needs samples with one target each");
  }
  SplitMix rng(config.seed);
  std::vector<TrainLayer> layers = init_layers(x_train.rows(), config.hidden, rng);
  const std::size_t depth = layers.size();
  NetworkTrainingResult result;
  result.best_validation_rmse = std::numeric_limits<double>::infinity();
  result.network = to_network(layers);

  const Eigen::Index n = x_train.cols();
  const Eigen::Index batch = std::max<Eigen::Index>(1, config.batch_size);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::vector<Eigen::MatrixXd> act(depth + 1);   // act[0] = inputs
  std::vector<Eigen::MatrixXd> grad(depth + 1);  // gradient w.r.t. act[l]
  std::int64_t step = 0;
  int since_best = 0;
  for (int epoch = 1; epoch <= config.max_epochs; ++epoch) {
    for (Eigen::Index i = n - 1; i > 0; --i) {  // Fisher–Yates with our own generator
      std::swap(order[static_cast<std::size_t>(i)],
                order[rng.below(static_cast<std::uint64_t>(i + 1))]);
    }
    for (Eigen::Index start = 0; start < n; start += batch) {
      const Eigen::Index bs = std::min(batch, n - start);
      const std::vector<Eigen::Index> idx(order.begin() + start, order.begin() + start + bs);
      act[0] = x_train(Eigen::all, idx);
      for (std::size_t l = 0; l < depth; ++l) {
        act[l + 1].noalias() = layers[l].w * act[l];
        act[l + 1].colwise() += layers[l].b;
        if (layers[l].relu) {
          act[l + 1] = act[l + 1].cwiseMax(0.0);
        }
      }
      // d(mean squared error)/d(output), halved.
      grad[depth] = (act[depth] - y_train(idx).transpose()) / static_cast<double>(bs);
      for (std::size_t l = depth; l-- > 0;) {
        Eigen::MatrixXd& g = grad[l + 1];
        if (layers[l].relu) {
          g = (act[l + 1].array() > 0.0).select(g, 0.0);
        }
        layers[l].gw.noalias() = g * act[l].transpose();
        layers[l].gb = g.rowwise().sum();
        if (l > 0) {
          grad[l].noalias() = layers[l].w.transpose() * g;
        }
      }
      ++step;
      const double c1 = 1.0 - std::pow(kBeta1, static_cast<double>(step));
      const double c2 = 1.0 - std::pow(kBeta2, static_cast<double>(step));
      const double lr = config.learning_rate;
      for (TrainLayer& t : layers) {
        t.mw = kBeta1 * t.mw + (1.0 - kBeta1) * t.gw;
        t.vw = kBeta2 * t.vw + (1.0 - kBeta2) * t.gw.cwiseAbs2();
        t.mb = kBeta1 * t.mb + (1.0 - kBeta1) * t.gb;
        t.vb = kBeta2 * t.vb + (1.0 - kBeta2) * t.gb.cwiseAbs2();
        t.w.array() -= lr * ((t.mw.array() / c1) / ((t.vw.array() / c2).sqrt() + kEpsilon) +
                             config.weight_decay * t.w.array());
        t.b.array() -= lr * (t.mb.array() / c1) / ((t.vb.array() / c2).sqrt() + kEpsilon);
      }
    }
    const Network current = to_network(layers);
    result.train_rmse.push_back(rmse(predict_batch(current, x_train), y_train));
    const double val =
        x_val.cols() > 0 ? rmse(predict_batch(current, x_val), y_val) : result.train_rmse.back();
    result.validation_rmse.push_back(val);
    result.epochs_run = epoch;
    if (val < result.best_validation_rmse) {
      result.best_validation_rmse = val;
      result.best_epoch = epoch;
      result.network = current;
      since_best = 0;
    } else if (++since_best >= config.patience) {
      break;
    }
  }
  return result;
}

Network fit_ridge(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda) {
  const Eigen::Index d = x.rows();
  const double n = static_cast<double>(x.cols());
  if (x.cols() == 0 || x.cols() != y.size()) {
    throw std::invalid_argument("ridge needs samples with one target each");
  }
  const Eigen::VectorXd x_mean = x.rowwise().mean();
  const double y_mean = y.mean();
  const Eigen::MatrixXd xc = x.colwise() - x_mean;
  Eigen::MatrixXd gram = xc * xc.transpose();
  gram.diagonal().array() += lambda * n;
  const Eigen::VectorXd w = gram.ldlt().solve(xc * (y.array() - y_mean).matrix());
  DenseLayer layer;
  layer.inputs = static_cast<int>(d);
  layer.outputs = 1;
  layer.activation = "linear";
  layer.weights.assign(w.data(), w.data() + d);
  layer.bias = {y_mean - w.dot(x_mean)};
  Network net;
  net.layers.push_back(std::move(layer));
  return net;
}

}  // namespace edgegw::analytics
