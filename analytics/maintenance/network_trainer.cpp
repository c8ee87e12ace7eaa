#include "maintenance/network_trainer.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "maintenance/conv1d.hpp"
#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEpsilon = 1e-8;
// Samples per forward pass when predicting many: bounds the unfolded convolution input.
constexpr Eigen::Index kPredictChunk = 512;

// The trainer's working form of a layer, with its gradient and Adam moments.
struct TrainLayer {
  Eigen::MatrixXd w;
  Eigen::VectorXd b;
  bool relu = false;
  ConvShape conv;        // kernel 0: dense
  Eigen::MatrixXd cols;  // a convolution's unfolded input of the current batch
  bool dropout = false;  // whether dropout applies to this layer's input
  Eigen::MatrixXd keep;  // the current batch's dropout mask, scaled by 1 / (1 − rate)
  Eigen::MatrixXd gw, mw, vw;
  Eigen::VectorXd gb, mb, vb;

  [[nodiscard]] bool is_conv() const { return conv.kernel > 0; }
};

TrainLayer make_layer(Eigen::Index out, Eigen::Index fan_in, bool relu, SplitMix& rng) {
  TrainLayer t;
  t.relu = relu;
  // He initialization for ReLU layers keeps activations' variance across depth.
  const double sd = std::sqrt(2.0 / static_cast<double>(fan_in)) * (relu ? 1.0 : 0.5);
  t.w.resize(out, fan_in);
  for (Eigen::Index i = 0; i < t.w.size(); ++i) {
    t.w.data()[i] = sd * rng.normal();
  }
  t.b = Eigen::VectorXd::Zero(out);
  t.mw = t.vw = t.gw = Eigen::MatrixXd::Zero(out, fan_in);
  t.mb = t.vb = t.gb = Eigen::VectorXd::Zero(out);
  return t;
}

std::vector<TrainLayer> init_layers(Eigen::Index inputs, const NetworkTrainingConfig& c,
                                    SplitMix& rng) {
  std::vector<TrainLayer> layers;
  Eigen::Index in = inputs;
  if (!c.conv_filters.empty()) {
    if (c.channels < 1 || inputs % c.channels != 0 || c.kernel < 1) {
      throw std::invalid_argument("convolutions need inputs of whole time steps and a kernel");
    }
    int channels = c.channels;
    const int steps = static_cast<int>(inputs / c.channels);
    for (int filters : c.conv_filters) {
      TrainLayer t = make_layer(filters, Eigen::Index{c.kernel} * channels, true, rng);
      t.conv = ConvShape{channels, steps, c.kernel};
      layers.push_back(std::move(t));
      channels = filters;
    }
    in = Eigen::Index{steps} * channels;
  }
  std::vector<int> sizes = c.hidden;
  sizes.push_back(1);
  for (std::size_t l = 0; l < sizes.size(); ++l) {
    layers.push_back(make_layer(sizes[l], in, l + 1 < sizes.size(), rng));
    layers.back().dropout = c.dropout > 0.0 && layers.size() > 1;
    in = sizes[l];
  }
  return layers;
}

Network to_network(const std::vector<TrainLayer>& layers, bool float32) {
  const auto stored = [float32](double v) {
    return float32 ? static_cast<double>(static_cast<float>(v)) : v;
  };
  Network n;
  for (const TrainLayer& t : layers) {
    DenseLayer d;
    d.activation = t.relu ? "relu" : "linear";
    if (t.is_conv()) {
      d.kernel = t.conv.kernel;
      d.channels = t.conv.channels;
      d.inputs = t.conv.steps * t.conv.channels;
      d.outputs = t.conv.steps * static_cast<int>(t.w.rows());
    } else {
      d.inputs = static_cast<int>(t.w.cols());
      d.outputs = static_cast<int>(t.w.rows());
    }
    // Row-major storage in the model: copy row by row from Eigen's column-major.
    d.weights.reserve(static_cast<std::size_t>(t.w.size()));
    for (Eigen::Index r = 0; r < t.w.rows(); ++r) {
      for (Eigen::Index c = 0; c < t.w.cols(); ++c) {
        d.weights.push_back(stored(t.w(r, c)));
      }
    }
    for (Eigen::Index r = 0; r < t.b.size(); ++r) {
      d.bias.push_back(stored(t.b[r]));
    }
    n.layers.push_back(std::move(d));
  }
  return n;
}

double rmse(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == 0 ? 0.0 : std::sqrt((a - b).squaredNorm() / static_cast<double>(a.size()));
}

// Draws the dropout masks of a training batch and applies them to act[l].
void drop(TrainLayer& t, Eigen::MatrixXd& in, double rate, SplitMix& rng) {
  t.keep.resize(in.rows(), in.cols());
  const double scale = 1.0 / (1.0 - rate);
  for (Eigen::Index i = 0; i < t.keep.size(); ++i) {
    t.keep.data()[i] = rng.uniform() < rate ? 0.0 : scale;
  }
  in.array() *= t.keep.array();
}

// Forward pass of a batch; act[0] holds the inputs, act[l + 1] the output of layer l.
// With a generator, a training pass: dropout is drawn and applied.
void forward(std::vector<TrainLayer>& layers, std::vector<Eigen::MatrixXd>& act,
             double dropout = 0.0, SplitMix* rng = nullptr) {
  for (std::size_t l = 0; l < layers.size(); ++l) {
    TrainLayer& t = layers[l];
    if (rng != nullptr && t.dropout) {
      drop(t, act[l], dropout, *rng);
    }
    Eigen::MatrixXd& out = act[l + 1];
    if (t.is_conv()) {
      conv_unfold(t.conv, act[l], t.cols);
      out.noalias() = t.w * t.cols;  // filters × (steps · batch) is (steps · filters) × batch
      out.colwise() += t.b;
      // The same storage read as one time-major column per sample (same size: Eigen keeps
      // the data when only the shape changes).
      out.resize(t.w.rows() * t.conv.steps, act[l].cols());
    } else {
      out.noalias() = t.w * act[l];
      out.colwise() += t.b;
    }
    if (t.relu) {
      out = out.cwiseMax(0.0);
    }
  }
}

// Backward pass: grad[depth] holds d(loss)/d(output); fills every layer's gw and gb.
void backward(std::vector<TrainLayer>& layers, std::vector<Eigen::MatrixXd>& act,
              std::vector<Eigen::MatrixXd>& grad) {
  Eigen::MatrixXd dcols;
  for (std::size_t l = layers.size(); l-- > 0;) {
    TrainLayer& t = layers[l];
    Eigen::MatrixXd& g = grad[l + 1];
    if (t.relu) {
      g = (act[l + 1].array() > 0.0).select(g, 0.0);
    }
    if (t.is_conv()) {
      const Eigen::Index batch = g.cols();
      g.resize(t.w.rows(), t.conv.steps * batch);  // back to filters × (steps · batch)
      t.gw.noalias() = g * t.cols.transpose();
      t.gb = g.rowwise().sum();
      if (l > 0) {
        dcols.noalias() = t.w.transpose() * g;
        conv_fold(t.conv, dcols, grad[l]);
      }
    } else {
      t.gw.noalias() = g * act[l].transpose();
      t.gb = g.rowwise().sum();
      if (l > 0) {
        grad[l].noalias() = t.w.transpose() * g;
        if (t.keep.size() == grad[l].size()) {
          grad[l].array() *= t.keep.array();  // a dropped input passes no gradient back
        }
      }
    }
  }
}

void adam_step(std::vector<TrainLayer>& layers, std::int64_t step,
               const NetworkTrainingConfig& config) {
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

std::vector<TrainLayer> layers_of(const Network& network) {
  std::vector<TrainLayer> layers;
  for (const DenseLayer& d : network.layers) {
    TrainLayer t;
    const Eigen::Index rows = d.is_convolution() ? d.filters() : d.outputs;
    t.w = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        d.weights.data(), rows, static_cast<Eigen::Index>(d.weights.size()) / rows);
    t.b =
        Eigen::Map<const Eigen::VectorXd>(d.bias.data(), static_cast<Eigen::Index>(d.bias.size()));
    t.relu = d.activation == "relu";
    if (d.is_convolution()) {
      t.conv = ConvShape{d.channels, d.steps(), d.kernel};
    }
    layers.push_back(std::move(t));
  }
  return layers;
}

}  // namespace

Eigen::VectorXd predict_batch(const Network& network, const Eigen::MatrixXd& x) {
  std::vector<TrainLayer> layers = layers_of(network);
  std::vector<Eigen::MatrixXd> act(layers.size() + 1);
  Eigen::VectorXd out(x.cols());
  for (Eigen::Index start = 0; start < x.cols(); start += kPredictChunk) {
    const Eigen::Index n = std::min(kPredictChunk, x.cols() - start);
    act[0] = x.middleCols(start, n);
    forward(layers, act);
    out.segment(start, n) = act.back().row(0).transpose();
  }
  return out;
}

Network loss_gradient(const Network& network, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  std::vector<TrainLayer> layers = layers_of(network);
  std::vector<Eigen::MatrixXd> act(layers.size() + 1), grad(layers.size() + 1);
  act[0] = x;
  forward(layers, act);
  grad.back() = (act.back() - y.transpose()) / static_cast<double>(x.cols());
  backward(layers, act, grad);
  for (TrainLayer& t : layers) {
    t.w = t.gw;
    t.b = t.gb;
  }
  return to_network(layers, false);
}

NetworkTrainingResult train_network(const Eigen::MatrixXd& x_train, const Eigen::VectorXd& y_train,
                                    const Eigen::MatrixXd& x_val, const Eigen::VectorXd& y_val,
                                    const NetworkTrainingConfig& config) {
  if (x_train.cols() == 0 || x_train.cols() != y_train.size() || x_val.cols() != y_val.size()) {
    throw std::invalid_argument("network training needs samples with one target each");
  }
  SplitMix rng(config.seed);
  std::vector<TrainLayer> layers = init_layers(x_train.rows(), config, rng);
  const std::size_t depth = layers.size();
  NetworkTrainingResult result;
  result.best_validation_rmse = std::numeric_limits<double>::infinity();
  result.network = to_network(layers, config.float32_weights);

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
    double train_se = 0.0;  // over the epoch's minibatches, before each step
    for (Eigen::Index start = 0; start < n; start += batch) {
      const Eigen::Index bs = std::min(batch, n - start);
      const std::vector<Eigen::Index> idx(order.begin() + start, order.begin() + start + bs);
      act[0] = x_train(Eigen::all, idx);
      if (config.input_noise > 0.0) {
        for (Eigen::Index i = 0; i < act[0].size(); ++i) {
          act[0].data()[i] += config.input_noise * rng.normal();
        }
      }
      forward(layers, act, config.dropout, &rng);
      // d(mean squared error)/d(output), halved.
      grad[depth] = act[depth] - y_train(idx).transpose();
      train_se += grad[depth].squaredNorm();
      grad[depth] /= static_cast<double>(bs);
      backward(layers, act, grad);
      adam_step(layers, ++step, config);
    }
    const Network current = to_network(layers, config.float32_weights);
    result.train_rmse.push_back(std::sqrt(train_se / static_cast<double>(n)));
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
