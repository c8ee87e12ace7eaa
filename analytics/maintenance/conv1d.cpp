#include "maintenance/conv1d.hpp"

namespace edgegw::analytics {

void conv_unfold(const ConvShape& shape, const Eigen::MatrixXd& x, Eigen::MatrixXd& cols) {
  const Eigen::Index c = shape.channels;
  const Eigen::Index steps = shape.steps;
  cols.resize(shape.rows(), steps * x.cols());
  for (Eigen::Index b = 0; b < x.cols(); ++b) {
    for (Eigen::Index t = 0; t < steps; ++t) {
      double* column = cols.col(b * steps + t).data();
      for (Eigen::Index k = 0; k < shape.kernel; ++k) {
        const Eigen::Index in = t + k - shape.left();
        double* tap = column + k * c;
        if (in < 0 || in >= steps) {
          std::fill(tap, tap + c, 0.0);
        } else {
          std::copy_n(x.col(b).data() + in * c, c, tap);
        }
      }
    }
  }
}

void conv_fold(const ConvShape& shape, const Eigen::MatrixXd& dcols, Eigen::MatrixXd& dx) {
  const Eigen::Index c = shape.channels;
  const Eigen::Index steps = shape.steps;
  const Eigen::Index batch = dcols.cols() / steps;
  dx = Eigen::MatrixXd::Zero(steps * c, batch);
  for (Eigen::Index b = 0; b < batch; ++b) {
    for (Eigen::Index t = 0; t < steps; ++t) {
      const double* column = dcols.col(b * steps + t).data();
      for (Eigen::Index k = 0; k < shape.kernel; ++k) {
        const Eigen::Index in = t + k - shape.left();
        if (in >= 0 && in < steps) {
          dx.col(b).segment(in * c, c) += Eigen::Map<const Eigen::VectorXd>(column + k * c, c);
        }
      }
    }
  }
}

}  // namespace edgegw::analytics
