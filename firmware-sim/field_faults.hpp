#pragma once
// A field station's own faults, each labelled like an injected anomaly:
//
//   sensor_drift     the soil moisture probe drifts out of calibration: its reading moves
//                    away from the truth, linearly, up to `magnitude` × its scale
//   dry_out          the irrigation line is blocked: the valve opens but no water comes,
//                    and the soil goes on drying while irrigating. Nothing shows until an
//                    irrigation fails, so the window (and its drawn duration, the time
//                    until the line is cleared) starts with the first spoilt irrigation
//   battery_failure  the cell fails: its voltage sags towards cut-off over the first three
//                    quarters of the window, then the station is silent until the battery
//                    is replaced at the end of it
//
// Starts follow the configured rate per hour (a Bernoulli draw per tick), at most one of
// each kind at a time. Owned by one SimDevice; single-threaded.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fleet_config.hpp"
#include "label.hpp"
#include "rng.hpp"

namespace edgegw::sim {

class FieldFaults {
 public:
  FieldFaults(const FieldFaultConfig& config, std::int64_t interval_ms, Rng rng);

  // Starts faults due at now_ms. Returns true while the irrigation line is blocked: the
  // model's input for this tick.
  bool start_tick(std::int64_t now_ms);

  // After the model's step: applies the probe drift and the battery sag to `values`
  // (catalog order), and appends a Label for every window that ended with this tick.
  // Returns true while the station is silent (its battery is dead).
  bool apply(std::int64_t now_ms, bool irrigating, std::span<double> values,
             const std::string& device, std::vector<Label>& ended);

  // Ends every open window at its last affected tick (end of a run).
  void close_all(const std::string& device, std::vector<Label>& ended);

 private:
  struct Active {
    std::int64_t start_ms = 0;  // first affected tick (dry_out: first spoilt irrigation)
    std::int64_t last_ms = 0;
    std::int64_t ticks = 0;  // total length
    std::int64_t done = 0;   // ticks so far
    double delta = 0.0;      // sensor_drift: signed drift at the end, in sensor units
    bool seen = false;       // affected a published value yet
  };

  [[nodiscard]] double progress(const Active& a) const;
  void mark(Active& a, std::int64_t now_ms);
  Label make_label(FieldFaultKind kind, const Active& a, const std::string& device) const;

  FieldFaultConfig config_;
  std::int64_t interval_ms_;
  double dt_hours_;
  Rng rng_;
  std::array<std::optional<Active>, kFieldFaultKindCount> active_{};
};

}  // namespace edgegw::sim
