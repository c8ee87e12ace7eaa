#pragma once
// Injects labelled anomalies into one device's measured values: spike, level shift,
// drift, stuck sensor, noise burst, broken correlation, and dropout (the device is
// silent). Each kind starts at its configured rate (a Bernoulli draw per tick that
// approximates a Poisson process), lasts a drawn number of ticks, and is reported as a
// Label with the first and last affected tick when it ends.
//
// At most one anomaly per sensor at a time, and one dropout, so that every label
// describes exactly what a checker will see. Owned by one SimDevice; single-threaded.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fleet_config.hpp"
#include "label.hpp"
#include "rng.hpp"
#include "sensor_catalog.hpp"

namespace edgegw::sim {

class AnomalyInjector {
 public:
  AnomalyInjector(const AnomalyConfig& config, DeviceClass device_class, std::int64_t interval_ms,
                  Rng rng);

  // One tick: starts anomalies, applies the active ones to `values` in place, and appends
  // a Label for every window that ended with this tick. Returns true when the device is
  // in a dropout this tick (it publishes nothing).
  bool apply(std::int64_t now_ms, std::span<double> values, const std::string& device,
             std::vector<Label>& ended);

  // Ends every open window at its last affected tick (end of a run).
  void close_all(const std::string& device, std::vector<Label>& ended);

 private:
  struct Active {
    AnomalyKind kind = AnomalyKind::spike;
    std::int64_t start_ms = 0;
    std::int64_t last_ms = 0;
    std::int64_t ticks = 0;  // total length
    std::int64_t done = 0;   // ticks applied so far
    double delta = 0.0;      // signed magnitude in sensor units
    double held = 0.0;       // stuck value, or broken-correlation base
    double wander = 0.0;     // broken-correlation excursion
  };

  void maybe_start(std::int64_t now_ms, std::span<double> values);
  double effect(Active& a, const SensorSpec& spec, double value);
  Label make_label(const Active& a, const std::string& device, const std::string& sensor) const;

  AnomalyConfig config_;
  std::span<const SensorSpec> specs_;
  std::int64_t interval_ms_;
  double dt_hours_;
  Rng rng_;
  std::array<std::optional<Active>, kMaxSensors> per_sensor_{};
  std::optional<Active> dropout_;
  std::array<double, kMaxSensors> previous_{};  // last values emitted, for stuck sensors
  bool has_previous_ = false;
};

}  // namespace edgegw::sim
