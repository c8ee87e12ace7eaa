#pragma once
// A trained remaining-useful-life model as plain values: which sensors it reads, how it
// turns a device's recent history into features, how features are scaled, and the
// weights of its networks. gateway/models/ saves and loads it as self-describing JSON;
// analytics/maintenance/ trains it and evaluates it. Immutable once built: one instance
// is shared (read-only) by every device of a class.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace edgegw::analytics {

// The version of the model's structure; a file written with another version is refused
// with a message naming both versions. Version 2 added sequence inputs, 1-D convolution
// layers and float32 weights; version 1 files (dense models) are still read.
inline constexpr int kModelFormatVersion = 2;
inline constexpr int kOldestModelFormatVersion = 1;

// The uncertainty band's half-width in residual standard deviations (~90% two-sided).
inline constexpr double kBandZ = 1.645;

// Devices that run in several operating conditions (altitude, load, speed) read
// differently in each. The regimes are clusters of the operating settings; each sensor
// is normalized with its own mean and standard deviation within the current regime, so
// that degradation, not the condition, moves the features.
struct OperatingRegimes {
  std::vector<std::string> settings;  // sensor names of the operating settings
  std::vector<double> setting_mean;   // settings are standardized before clustering
  std::vector<double> setting_scale;
  std::vector<std::vector<double>> centers;      // regime × setting (standardized)
  std::vector<std::vector<double>> sensor_mean;  // regime × sensor
  std::vector<std::vector<double>> sensor_std;   // regime × sensor

  [[nodiscard]] std::size_t regime_count() const { return centers.size(); }
};

// Which features a model reads. Either window statistics: for each sensor and each window
// length (in samples, the most recent ones): mean (level), least-squares slope, standard
// deviation, min and max; plus each sensor's last value (exponentially smoothed, see
// smoothing). Or, when `sequence` > 0, the sequence itself: the newest `sequence`
// regime-normalized samples of every sensor, oldest first, time-major (sample t of sensor
// s at t · sensors + s), for a temporal model (convolutions) to read.
struct FeatureSpec {
  std::vector<std::string> sensors;  // in feature order
  std::vector<int> windows;          // window lengths in samples, ascending (statistics)
  int sequence = 0;                  // samples of the raw sequence input (0: statistics)
  double smoothing = 0.3;            // EWMA weight of the newest value for "last"
  OperatingRegimes regimes;

  static constexpr std::size_t kStatsPerWindow = 5;  // mean, slope, std, min, max

  [[nodiscard]] bool is_sequence() const { return sequence > 0; }
  [[nodiscard]] int max_window() const {
    if (is_sequence())
      return sequence;
    return windows.empty() ? 1 : windows.back();
  }
  [[nodiscard]] std::size_t feature_count() const {
    if (is_sequence())
      return sensors.size() * static_cast<std::size_t>(sequence);
    return sensors.size() * (1 + windows.size() * kStatsPerWindow);
  }
  [[nodiscard]] std::vector<std::string> feature_names() const;
};

// One layer: outputs = activation(weights · inputs + bias). Dense when kernel is 0.
// When kernel > 0 it is a 1-D convolution over time ("same" zero padding, stride 1):
// inputs are `channels` values per time step, time-major (step t, channel c at
// t · channels + c); outputs are bias.size() filters per step in the same order; weights
// are filters × (kernel · channels), row-major, taps oldest first, centred on the output
// step (tap k reads step t + k − (kernel − 1) / 2).
struct DenseLayer {
  int inputs = 0;
  int outputs = 0;
  std::string activation;       // "relu" or "linear"
  std::vector<double> weights;  // outputs × inputs (dense), filters × kernel·channels (conv)
  std::vector<double> bias;     // outputs (dense), filters (conv)
  int kernel = 0;               // taps of a convolution; 0 for a dense layer
  int channels = 0;             // input channels of a convolution

  [[nodiscard]] bool is_convolution() const { return kernel > 0; }
  [[nodiscard]] int filters() const { return static_cast<int>(bias.size()); }
  [[nodiscard]] int steps() const { return channels > 0 ? inputs / channels : 0; }
};

// A feed-forward network; a ridge model is a network of one linear layer.
struct Network {
  std::vector<DenseLayer> layers;
  [[nodiscard]] std::size_t parameter_count() const;
};

// Half-width of the uncertainty band, by predicted remaining life: the residual spread
// measured on validation units (never on test data).
struct UncertaintyBand {
  std::vector<double> upper_edges;  // bin i covers predictions up to upper_edges[i]
  std::vector<double> sigma;        // residual standard deviation in bin i

  // The bin of a predicted life: the first whose upper edge is not below it, else the
  // last. Training fills the bins and prediction reads them by this one rule.
  [[nodiscard]] std::size_t bin(double rul) const {
    std::size_t b = 0;
    while (b + 1 < upper_edges.size() && rul > upper_edges[b])
      ++b;
    return b;
  }
};

struct RulModel {
  std::string name;             // e.g. "turbofan-mlp"
  std::string version;          // the model's own version, chosen by who trained it
  std::string kind;             // "ridge", "mlp" or "cnn"
  std::string unit = "cycles";  // the unit of remaining life (the samples' time unit)
  double rul_cap = 125.0;       // targets were capped here (piecewise-linear degradation)
  FeatureSpec features;
  std::vector<double> feature_mean;  // z-score of features before the networks
  std::vector<double> feature_scale;
  double target_scale = 1.0;     // networks predict rul / target_scale
  std::vector<Network> members;  // the prediction is the members' mean
  UncertaintyBand band;
  std::map<std::string, double> metrics;          // training and validation figures
  std::map<std::string, std::string> provenance;  // data, seed, options used

  [[nodiscard]] std::size_t parameter_count() const;
};

// Empty when the model is consistent (shapes, activations, band, regimes), else what is
// wrong, naming the member and layer.
[[nodiscard]] std::string check_model(const RulModel& model);

}  // namespace edgegw::analytics
