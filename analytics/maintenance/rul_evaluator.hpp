#pragma once
// A RulModel compiled for inference: Eigen matrices for each member's layers and
// preallocated activations, so that a prediction allocates nothing.
//
// Ownership: copies the weights it needs (the RulModel may be dropped afterwards).
// Thread: not thread-safe (the scratch activations are shared); one per predictor.

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "edgegw/analytics/maintenance_model.hpp"
#include "maintenance/conv1d.hpp"

namespace edgegw::analytics {

class RulEvaluator {
 public:
  // Throws std::invalid_argument naming the inconsistency (sizes, activation, band).
  explicit RulEvaluator(const RulModel& model);

  struct Output {
    double rul = 0.0;
    double lower = 0.0;
    double upper = 0.0;
  };
  // `features` are raw (unscaled) features in the spec's order.
  Output predict(const Eigen::Ref<const Eigen::VectorXd>& features);

  [[nodiscard]] Eigen::Index feature_count() const { return mean_.size(); }
  [[nodiscard]] std::size_t bytes() const;

 private:
  struct Layer {
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w;
    Eigen::VectorXd b;
    bool relu = false;
    ConvShape conv;          // kernel 0: dense
    Eigen::VectorXd padded;  // a convolution's zero-padded input (scratch)
    Eigen::VectorXd out;     // scratch activation
  };
  static Layer compile(const DenseLayer& dl, int inputs, const std::string& where);
  static void run(Layer& layer, const Eigen::VectorXd& in);
  std::vector<std::vector<Layer>> members_;
  Eigen::VectorXd mean_;
  Eigen::VectorXd inv_scale_;
  Eigen::VectorXd x_;  // scratch: scaled features
  double target_scale_ = 1.0;
  UncertaintyBand band_;
};

}  // namespace edgegw::analytics
