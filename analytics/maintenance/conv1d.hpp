#pragma once
// 1-D convolution over time as matrix products (im2col), for training and inference.
//
// A batch holds one sample per column, each time-major: `channels` values per step, steps
// in time order. Unfolding copies, for every output step, the kernel's window of input
// steps (zero beyond either end: "same" padding) into one column, so that the convolution
// of the whole batch is one product: filters × (kernel · channels) times
// (kernel · channels) × (steps · batch). The product's memory is already the time-major
// output of every sample, column after column: no reshuffle is needed afterwards.

#include <Eigen/Core>

namespace edgegw::analytics {

struct ConvShape {
  int channels = 0;
  int steps = 0;
  int kernel = 0;

  // Taps before the centre: tap k of output step t reads input step t + k − left().
  [[nodiscard]] int left() const { return (kernel - 1) / 2; }
  [[nodiscard]] Eigen::Index rows() const { return static_cast<Eigen::Index>(kernel) * channels; }
};

// x: (steps · channels) × batch → cols: (kernel · channels) × (steps · batch).
void conv_unfold(const ConvShape& shape, const Eigen::MatrixXd& x, Eigen::MatrixXd& cols);

// The adjoint of conv_unfold: sums each column's entries back onto the input steps they
// were copied from. dcols: (kernel · channels) × (steps · batch) → dx: (steps · channels)
// × batch.
void conv_fold(const ConvShape& shape, const Eigen::MatrixXd& dcols, Eigen::MatrixXd& dx);

// One sample, no allocation: `padded` is scratch of (steps + kernel − 1) · channels values
// whose ends stay zero; `out` receives filters × steps (time-major when read flat).
// weights: filters × (kernel · channels), row-major.
template <typename Weights, typename Out>
void conv_forward_one(const ConvShape& shape, const Weights& weights, const Eigen::VectorXd& bias,
                      const double* x, Eigen::VectorXd& padded, Out& out) {
  const Eigen::Index c = shape.channels;
  padded.segment(shape.left() * c, shape.steps * c) =
      Eigen::Map<const Eigen::VectorXd>(x, shape.steps * c);
  // Column t of the unfolded input starts at step t of the padded sequence: the columns
  // overlap, so a stride of one step (c values) reads them in place without a copy.
  const Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>> cols(
      padded.data(), shape.rows(), shape.steps, Eigen::OuterStride<>(c));
  out.noalias() = weights * cols;
  out.colwise() += bias;
}

}  // namespace edgegw::analytics
