#include "maintenance/rul_evaluator.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace edgegw::analytics {

std::size_t Network::parameter_count() const {
  std::size_t n = 0;
  for (const DenseLayer& l : layers) {
    n += l.weights.size() + l.bias.size();
  }
  return n;
}

std::size_t RulModel::parameter_count() const {
  std::size_t n = feature_mean.size() + feature_scale.size();
  for (const Network& m : members) {
    n += m.parameter_count();
  }
  return n;
}

std::string check_model(const RulModel& model) {
  const OperatingRegimes& r = model.features.regimes;
  const std::size_t sensors = model.features.sensors.size();
  bool regimes_ok = r.setting_mean.size() == r.settings.size() &&
                    r.setting_scale.size() == r.settings.size() &&
                    r.sensor_mean.size() == r.regime_count() &&
                    r.sensor_std.size() == r.regime_count() && r.regime_count() >= 1;
  for (std::size_t k = 0; regimes_ok && k < r.regime_count(); ++k) {
    regimes_ok = r.centers[k].size() == r.settings.size() && r.sensor_mean[k].size() == sensors &&
                 r.sensor_std[k].size() == sensors;
  }
  if (!regimes_ok) {
    return "model '" + model.name + "': operating regimes do not match its settings and sensors";
  }
  const std::vector<int>& w = model.features.windows;
  if (model.features.sequence < 0 ||
      (!model.features.is_sequence() &&
       (w.empty() || w.front() < 1 || !std::is_sorted(w.begin(), w.end())))) {
    return "model '" + model.name +
           "': window lengths must be positive and ascending, or the sequence positive";
  }
  try {
    (void)RulEvaluator(model);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

RulEvaluator::RulEvaluator(const RulModel& model) : target_scale_(model.target_scale) {
  const auto d = static_cast<Eigen::Index>(model.features.feature_count());
  if (d == 0) {
    throw std::invalid_argument("model '" + model.name + "' reads no features");
  }
  if (model.feature_mean.size() != static_cast<std::size_t>(d) ||
      model.feature_scale.size() != static_cast<std::size_t>(d)) {
    throw std::invalid_argument("model '" + model.name + "': feature normalization has " +
                                std::to_string(model.feature_mean.size()) + " values for " +
                                std::to_string(d) + " features");
  }
  if (model.members.empty()) {
    throw std::invalid_argument("model '" + model.name + "' has no network");
  }
  if (model.band.upper_edges.size() != model.band.sigma.size()) {
    throw std::invalid_argument("model '" + model.name + "': band edges and sigmas differ");
  }
  mean_ = Eigen::Map<const Eigen::VectorXd>(model.feature_mean.data(), d);
  inv_scale_ = Eigen::Map<const Eigen::VectorXd>(model.feature_scale.data(), d).cwiseInverse();
  x_ = Eigen::VectorXd::Zero(d);
  for (std::size_t m = 0; m < model.members.size(); ++m) {
    std::vector<Layer> layers;
    int in = static_cast<int>(d);
    for (std::size_t l = 0; l < model.members[m].layers.size(); ++l) {
      const DenseLayer& dl = model.members[m].layers[l];
      const std::string where =
          "model '" + model.name + "' member " + std::to_string(m) + " layer " + std::to_string(l);
      layers.push_back(compile(dl, in, where));
      in = dl.outputs;
    }
    if (in != 1 || layers.empty()) {
      throw std::invalid_argument("model '" + model.name + "' member " + std::to_string(m) +
                                  " does not end in one output");
    }
    members_.push_back(std::move(layers));
  }
  band_ = model.band;
}

RulEvaluator::Layer RulEvaluator::compile(const DenseLayer& dl, int inputs,
                                          const std::string& where) {
  const bool conv = dl.is_convolution();
  const std::size_t rows = conv ? static_cast<std::size_t>(dl.filters())
                                : static_cast<std::size_t>(std::max(dl.outputs, 0));
  const std::size_t cols = conv ? static_cast<std::size_t>(dl.kernel) * dl.channels
                                : static_cast<std::size_t>(std::max(dl.inputs, 0));
  bool shape_ok = dl.inputs == inputs && dl.outputs >= 1 && rows >= 1 &&
                  dl.weights.size() == rows * cols && dl.bias.size() == rows;
  if (conv) {
    shape_ok = shape_ok && dl.channels >= 1 && dl.kernel >= 1 && dl.inputs % dl.channels == 0 &&
               dl.outputs == dl.filters() * dl.steps();
  } else {
    shape_ok = shape_ok && dl.channels == 0;
  }
  if (!shape_ok || dl.kernel < 0) {
    throw std::invalid_argument(where + ": shape does not match its input or its weights");
  }
  if (dl.activation != "relu" && dl.activation != "linear") {
    throw std::invalid_argument(where + ": unknown activation '" + dl.activation + "'");
  }
  Layer layer;
  layer.w =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          dl.weights.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  layer.b = Eigen::Map<const Eigen::VectorXd>(dl.bias.data(), static_cast<Eigen::Index>(rows));
  layer.relu = dl.activation == "relu";
  layer.out = Eigen::VectorXd::Zero(dl.outputs);
  if (conv) {
    layer.conv = ConvShape{dl.channels, dl.steps(), dl.kernel};
    layer.padded = Eigen::VectorXd::Zero(Eigen::Index{dl.steps() + dl.kernel - 1} * dl.channels);
  }
  return layer;
}

void RulEvaluator::run(Layer& l, const Eigen::VectorXd& in) {
  if (l.conv.kernel > 0) {
    Eigen::Map<Eigen::MatrixXd> out(l.out.data(), l.w.rows(), l.conv.steps);
    conv_forward_one(l.conv, l.w, l.b, in.data(), l.padded, out);
  } else {
    l.out.noalias() = l.w * in;
    l.out += l.b;
  }
  if (l.relu) {
    l.out = l.out.cwiseMax(0.0);
  }
}

RulEvaluator::Output RulEvaluator::predict(const Eigen::Ref<const Eigen::VectorXd>& features) {
  x_ = (features - mean_).cwiseProduct(inv_scale_);
  double sum = 0.0;
  for (std::vector<Layer>& layers : members_) {
    const Eigen::VectorXd* in = &x_;
    for (Layer& l : layers) {
      run(l, *in);
      in = &l.out;
    }
    sum += (*in)[0];
  }
  Output o;
  o.rul = std::max(0.0, target_scale_ * sum / static_cast<double>(members_.size()));
  const double sigma = band_.sigma.empty() ? 0.0 : band_.sigma[band_.bin(o.rul)];
  o.lower = std::max(0.0, o.rul - kBandZ * sigma);
  o.upper = o.rul + kBandZ * sigma;
  return o;
}

std::size_t RulEvaluator::bytes() const {
  std::size_t n =
      sizeof(*this) +
      sizeof(double) * static_cast<std::size_t>(mean_.size() + inv_scale_.size() + x_.size());
  for (const std::vector<Layer>& layers : members_) {
    for (const Layer& l : layers) {
      n += sizeof(Layer) +
           sizeof(double) *
               static_cast<std::size_t>(l.w.size() + l.b.size() + l.padded.size() + l.out.size());
    }
  }
  return n + sizeof(double) * (band_.upper_edges.size() + band_.sigma.size());
}

}  // namespace edgegw::analytics
