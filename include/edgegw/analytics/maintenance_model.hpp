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
// with a message naming both versions.
inline constexpr int kModelFormatVersion = 1;

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

// Which features a model reads. For each sensor and each window length (in samples, the
// most recent ones): mean (level), least-squares slope, standard deviation, min and max;
// plus each sensor's last value (exponentially smoothed, see smoothing).
struct FeatureSpec {
  std::vector<std::string> sensors;  // in feature order
  std::vector<int> windows;          // window lengths in samples, ascending
  double smoothing = 0.3;            // EWMA weight of the newest value for "last"
  OperatingRegimes regimes;

  static constexpr std::size_t kStatsPerWindow = 5;  // mean, slope, std, min, max

  [[nodiscard]] int max_window() const { return windows.empty() ? 1 : windows.back(); }
  [[nodiscard]] std::size_t feature_count() const {
    return sensors.size() * (1 + windows.size() * kStatsPerWindow);
  }
  [[nodiscard]] std::vector<std::string> feature_names() const;
};

// One dense layer: outputs = activation(weights · inputs + bias).
struct DenseLayer {
  int inputs = 0;
  int outputs = 0;
  std::string activation;       // "relu" or "linear"
  std::vector<double> weights;  // outputs × inputs, row-major
  std::vector<double> bias;     // outputs
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
};

struct RulModel {
  std::string name;             // e.g. "turbofan-mlp"
  std::string version;          // the model's own version, chosen by who trained it
  std::string kind;             // "ridge" or "mlp"
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
