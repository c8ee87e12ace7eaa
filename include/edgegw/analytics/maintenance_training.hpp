#pragma once
// Training and offline evaluation of remaining-useful-life models. Deterministic for a
// seed; single-threaded (Eigen may use its own threads only if the build enables them).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edgegw/analytics/maintenance_dataset.hpp"
#include "edgegw/analytics/maintenance_model.hpp"

namespace edgegw::analytics {

struct TrainingConfig {
  std::string name = "rul-model";
  std::string version = "1";
  std::string kind = "mlp";  // "ridge", "mlp" or "cnn"
  std::string unit = "cycles";
  std::vector<std::string> sensors;   // empty: every informative non-setting column
  std::vector<std::string> settings;  // operating-setting columns (may be empty)
  int max_regimes = 8;                // regimes are found automatically up to this
  std::vector<int> windows = {5, 15, 30, 60, 90};
  double smoothing = 0.3;
  double rul_cap = 125.0;
  int min_history = 1;               // first training sample after this many rows
  double validation_fraction = 0.2;  // of units, per ensemble member (a fold)
  std::uint64_t seed = 42;
  // Ridge: L2 strength chosen on the validation units among these.
  std::vector<double> ridge_lambdas = {1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0, 100.0};
  // MLP: hidden layer sizes, Adam, early stopping on the validation units.
  std::vector<int> hidden = {32, 16};
  // CNN: the newest `sequence` regime-normalized samples of every sensor, through 1-D
  // convolutions (filters per layer, one kernel length, ReLU), then dense layers.
  int sequence = 30;
  std::vector<int> conv_filters = {10, 10, 10, 10, 1};
  int kernel = 10;
  std::vector<int> cnn_hidden = {100};
  // Gaussian noise added to the standardized inputs while training (a regularizer); unset:
  // kCnnInputNoise for the CNN, none for the MLP.
  std::optional<double> input_noise;
  static constexpr double kCnnInputNoise = 0.5;
  int ensemble = 5;  // members, each validated on its own fold
  int max_epochs = 200;
  int patience = 15;  // epochs without validation improvement
  int batch_size = 256;
  double learning_rate = 1e-3;
  double weight_decay = 1e-4;
  double dropout = 0.0;  // MLP and CNN: on the inputs of the dense layers after the first
};

struct EpochLog {
  int member = 0;
  int epoch = 0;
  double train_rmse = 0.0;
  double validation_rmse = 0.0;
};

struct RulMetrics {
  double rmse = 0.0;
  double mae = 0.0;
  double phm08_score = 0.0;  // Σ exp(-d/13)-1 for d<0, exp(d/10)-1 for d≥0, d = pred - true
  double coverage = 0.0;     // fraction of true values inside the band
  std::size_t count = 0;
};
struct TrainingReport {
  RulModel model;
  std::vector<EpochLog> epochs;            // the learning curves
  std::vector<int> stopped_epoch;          // per member: the best epoch (early stopping)
  double validation_rmse = 0.0;            // out-of-fold, every row of the validation units
  double validation_rmse_degrading = 0.0;  // out-of-fold, rows below the cap
  // Out-of-fold rows within 1.2 caps of the end against the uncapped truth: how a test
  // of truncated runs scores each run's last row (the PHM08 score summed over them).
  RulMetrics validation_cut_points;
  std::size_t samples = 0;
};

// Trains on run-to-failure histories. Throws std::invalid_argument with a message a user
// can act on when the data or the config cannot make a model.
[[nodiscard]] TrainingReport train_rul_model(const RunDataset& data, const TrainingConfig& config);

// Predicts the remaining life of each run at its last row (the test protocol of C-MAPSS),
// feeding the rows through the same feature path as the gateway at run time.
struct RunPrediction {
  std::string unit;
  double rul = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};
[[nodiscard]] std::vector<RunPrediction> predict_last(const RulModel& model,
                                                      const RunDataset& data);

// Errors of predicted against true remaining life.
[[nodiscard]] RulMetrics rul_metrics(const std::vector<double>& predicted,
                                     const std::vector<double>& truth,
                                     const std::vector<double>& lower = {},
                                     const std::vector<double>& upper = {});
[[nodiscard]] double phm08_score(double predicted, double truth);

}  // namespace edgegw::analytics
