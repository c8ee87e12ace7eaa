#pragma once
// Configuration of the anomaly-detection analytics, filled by gateway/config from the
// `analytics:` section of the gateway config (docs/analytics.md is the reference).
//
// By default a profile alerts with the anomaly detector (one alert per anomalous
// episode), stuck, silence and its rules. The statistical detectors below (ewma, mad,
// rate, mahalanobis, pca) are opt-in: each raises alerts of its own, per sample over its
// threshold, which on real signals is many more alerts than episodes.
//
// Thresholds of the statistical detectors are given as a false-alarm rate per sample
// (the probability that a clean sample crosses the threshold); the library turns it into
// the quantile of each detector's reference distribution (normal, chi-square,
// Jackson-Mudholkar), so that users reason about alarms per day rather than raw numbers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgegw::analytics {

enum class Severity { info, warning, critical };

// Robust z-score against exponentially weighted mean and variance.
struct EwmaConfig {
  bool enabled = false;              // opt-in: the anomaly detector alerts once per episode
  std::vector<std::string> sensors;  // empty: every sensor of the device
  double half_life = 100;            // samples for a past sample's weight to halve
  std::uint32_t warmup = 30;         // samples before it scores
  double false_alarm_rate = 1e-4;    // per sample, two-sided
  double clip = 3.0;                 // residuals clipped at clip*sigma when updating
  double min_std = 0.0;              // floor of sigma, e.g. the sensor's resolution
  Severity severity = Severity::warning;
};

// Robust z-score against the median and MAD of a sliding window of recent samples.
struct MadConfig {
  bool enabled = false;  // opt-in: the anomaly detector alerts once per episode
  std::vector<std::string> sensors;
  std::uint32_t window = 64;  // samples in the sliding window
  std::uint32_t warmup = 32;
  std::uint32_t refresh_every = 4;  // recompute median/MAD every n samples
  double false_alarm_rate = 1e-4;
  double min_std = 0.0;
  Severity severity = Severity::warning;
};

// Rate of change: robust z-score of the per-second change, and an optional absolute cap.
struct RateConfig {
  bool enabled = false;  // opt-in: the anomaly detector alerts once per episode
  std::vector<std::string> sensors;
  double half_life = 100;
  std::uint32_t warmup = 30;
  double false_alarm_rate = 1e-4;
  std::optional<double> max_rate;  // units per second; alarm whenever exceeded
  double min_std = 0.0;
  Severity severity = Severity::warning;
};

// A sensor that repeats the same value (within tolerance) for too long.
struct StuckConfig {
  bool enabled = true;
  std::vector<std::string> sensors;
  std::uint32_t min_samples = 30;
  std::int64_t min_duration_ms = 60'000;
  double tolerance = 0.0;  // absolute; 0 means bit-for-bit repeats
  Severity severity = Severity::warning;
};

// A device that stops reporting for longer than `intervals` times its usual interval.
struct SilenceConfig {
  bool enabled = true;
  double intervals = 5.0;
  std::int64_t min_silence_ms = 30'000;
  std::uint32_t warmup = 10;  // arrivals before the usual interval is trusted
  Severity severity = Severity::critical;
};

// Mahalanobis distance and PCA residual (SPE/Q) over the device's sensor vector, from
// one shared online estimate of mean and covariance with shrinkage.
struct MultivariateConfig {
  bool mahalanobis = false;  // opt-in, as the univariate statistical detectors
  bool pca = false;
  std::vector<std::string> sensors;  // empty: every sensor of the device (2 or more)
  double half_life = 500;            // samples
  std::uint32_t warmup = 100;
  std::uint32_t refresh_every = 8;  // re-decompose the covariance every n vectors
  std::optional<double> shrinkage;  // towards the diagonal, in [0, 1); none: automatic
  double pca_variance = 0.90;       // fraction of variance the retained components keep
  double false_alarm_rate = 1e-4;
  Severity severity = Severity::warning;
};

// The device-level anomaly detector (docs/analytics.md, "The anomaly detector"). Per
// sensor, three channels: how far the latest `window` values are from their nearest
// neighbours among the last `memory` such shapes (a conformal kNN score), how far the
// value jumps from a smoothed baseline and from the same time yesterday and last week
// (a spike score), and how far the recent mean is from the long-run one (a level score).
// Each channel is z-scored against its own history; their surprise is summed and mapped
// to [0, 1); the device's score is its most surprised sensor's. An episode stage reports
// each episode's peak once and then holds a refractory period, so that one anomaly is
// one alert.
struct AnomalyConfig {
  bool enabled = true;
  std::vector<std::string> sensors;  // empty: every sensor of the device
  std::uint32_t window = 8;          // values in the shape the kNN channel compares
  std::uint32_t memory = 400;        // past shapes it compares with
  std::uint32_t neighbours = 5;      // k: the score is the mean distance to the k nearest
  double half_life = 4000;           // samples behind each channel's score distribution
  std::uint32_t warmup = 20;         // scores a channel learns before it reports
  bool seasonality = true;           // yesterday and last week, when 4..4096 samples apart
  std::uint32_t learning = 200;      // samples of a device before it reports at all
  std::uint32_t horizon = 375;       // a reported peak tops this many previous samples
  std::uint32_t refractory = 300;    // samples without reports after an alert
  double threshold = 0.45;           // a reported score this high raises an alert
  Severity severity = Severity::warning;
};

// Commissioning: the first samples (or time) of a device teach its models what normal
// is; nothing but rules and silence alerts during it. Afterwards the models go on
// adapting (their half-lives), or, with `freeze`, keep what commissioning taught them, so
// that a slow drift away from it is never learnt as the new normal.
struct BaselineConfig {
  std::uint32_t samples = 0;
  bool freeze = false;
  std::int64_t duration_ms = 0;
};

enum class RuleOp { above, below };

// `temperature > 90 for 30s`, cleared when it falls to 85 or below (hysteresis). The
// threshold may be the device's own (`bearing_temp > meta.max_bearing_temp`): a number
// of its metadata, looked up when the engine first sees the device.
struct RuleConfig {
  std::string name;
  std::string sensor;
  RuleOp op = RuleOp::above;
  double threshold = 0.0;       // unused with threshold_meta
  std::string threshold_meta;   // the metadata column of the threshold; empty: `threshold`
  std::optional<double> clear;  // default: the threshold itself
  std::int64_t for_ms = 0;      // condition must hold this long (event time)
  Severity severity = Severity::warning;
};

// The reading that names a machine's operating state (idle, running, fault... as codes).
// A start or a stop moves every sensor at once, which is the plant working, not an
// anomaly: after each change of state the statistical detectors report nothing for
// `settle` of event time (state-based alarm suppression, as ISA-18.2 calls it); they keep
// learning. The state sensor itself is left to rules (`state > 1.5` for a fault).
struct OperatingStateConfig {
  std::string sensor;  // empty: the profile has no operating state
  std::int64_t settle_ms = 60'000;
};

struct ProfileConfig {
  BaselineConfig baseline;
  OperatingStateConfig operating_state;
  AnomalyConfig anomaly;
  EwmaConfig ewma;
  MadConfig mad;
  RateConfig rate;
  StuckConfig stuck;
  SilenceConfig silence;
  MultivariateConfig multivariate;
  std::vector<RuleConfig> rules;
};

struct AnalyticsConfig {
  bool enabled = false;
  std::int64_t window_ms = 60'000;            // tumbling aggregate windows (event time)
  std::int64_t allowed_lateness_ms = 10'000;  // how late a sample may still join its window
  // Device state is dropped after this idle time: a week, so that a machine stopped over
  // a long weekend keeps what its models learnt.
  std::int64_t idle_eviction_ms = 7 * 86'400'000LL;
  std::uint32_t max_devices = 10'000;
  std::uint32_t max_sensors_per_device = 32;
  std::int64_t alert_update_interval_ms = 60'000;              // at most one "updated" per alert
  std::uint32_t clear_after_samples = 5;                       // consecutive quiet samples to clear
  std::map<std::string, ProfileConfig, std::less<>> profiles;  // "default" always exists
  // How often the gateway saves the engine's state to its buffer directory (0: never).
  // The engine itself does no I/O and ignores it.
  std::int64_t checkpoint_interval_ms = 60'000;
};

inline constexpr const char* kDefaultProfile = "default";

// Checks ranges and consistency; returns "key: problem" sentences (empty when valid).
// Adds the "default" profile when it is missing.
std::vector<std::string> validate(AnalyticsConfig& config);

}  // namespace edgegw::analytics
