#pragma once
// Configuration of predictive maintenance at run time, per device class. Filled by
// gateway/config from the `analytics.maintenance` section; validate() names the key
// that is wrong so that the loader can report file and line.

#include <cstdint>
#include <optional>
#include <string>

#include "edgegw/analytics/maintenance_trend.hpp"

namespace edgegw::analytics {

// The estimator that needs no training: a robust trend of one health indicator,
// extrapolated to its failure level. History is kept as one point (the mean of the
// indicator's samples) per `spacing_ms` of event time, the newest `points` of them.
struct TrendEstimatorConfig {
  std::string indicator;            // the sensor that is the health indicator
  TrendConfig fit;                  // shape, failure threshold, exponential offset
  std::int64_t spacing_ms = 60000;  // one history point per this much event time
  int points = 60;                  // history points fitted (at most kMaxPoints)
  std::string unit = "hours";       // of remaining life: seconds, minutes, hours, days
  std::string name;                 // in alerts and predictions: "trend-<indicator>" if empty

  static constexpr int kMaxPoints = 512;
  [[nodiscard]] double unit_ms() const {
    if (unit == "seconds")
      return 1e3;
    if (unit == "minutes")
      return 6e4;
    return unit == "days" ? 8.64e7 : 3.6e6;
  }
};

struct MaintenanceConfig {
  std::string device_class;  // which devices use this model (matched by the gateway)
  std::string model_file;    // path of the model JSON (read by gateway/models), or
  std::optional<TrendEstimatorConfig> trend;  // a trend instead of a trained model
  int cadence_samples = 1;                    // predict every N samples of a device
  int min_history = 1;                        // no prediction before this many samples
  double horizon = 30.0;            // raise an alert when predicted life < horizon (model unit)
  double clear_margin = 10.0;       // clear when predicted life > horizon + clear_margin
  double update_step = 5.0;         // while open, report again when rul moved by this much
  std::size_t max_devices = 10000;  // state is refused for devices beyond this
  // A device's state is dropped after this long without samples (arrival time), so that
  // devices that come and go never fill max_devices for good; like analytics.idle_eviction.
  std::int64_t idle_eviction_ms = 86'400'000;

  // Empty when valid, else "key: what is wrong".
  [[nodiscard]] std::optional<std::string> validate() const {
    if (cadence_samples < 1)
      return "cadence_samples: must be at least 1";
    if (min_history < 1)
      return "min_history: must be at least 1";
    if (!(horizon > 0.0))
      return "horizon: must be positive";
    if (!(clear_margin >= 0.0))
      return "clear_margin: must not be negative";
    if (!(update_step > 0.0))
      return "update_step: must be positive";
    if (max_devices == 0)
      return "max_devices: must be at least 1";
    if (idle_eviction_ms <= 0)
      return "idle_eviction: must be positive";
    if (trend) {
      if (trend->indicator.empty())
        return "trend.indicator: name the sensor that is the health indicator";
      if (trend->spacing_ms <= 0)
        return "trend.spacing: must be positive";
      if (trend->points < 3 || trend->points > TrendEstimatorConfig::kMaxPoints)
        return "trend.points: must be between 3 and 512";
      if (trend->fit.shape == TrendShape::kExponential &&
          !(trend->fit.threshold > trend->fit.offset))
        return "trend.threshold: must be above trend.offset for an exponential trend";
    }
    return std::nullopt;
  }
};

}  // namespace edgegw::analytics
