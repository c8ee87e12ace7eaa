#pragma once
// The physics of one simulated field station: weather with a daily cycle, the soil's
// water balance (evapotranspiration out, irrigation in), the irrigation controller that
// opens the valve when the soil gets dry, and a solar-charged battery. Its sensors are
// correlated the way real ones are: humidity falls as the air warms, the soil dries
// fastest on warm dry afternoons and wets only while the valve is open.
//
// Owned by one SimDevice; single-threaded; deterministic given its Rng.

#include <cstdint>
#include <span>

#include "rng.hpp"

namespace edgegw::sim {

struct FieldState {
  bool irrigating = false;     // the valve is open
  double soil_moisture = 0.0;  // %, volumetric water content
  double air_temp = 0.0;       // degC
  double humidity = 0.0;       // %, relative
  double charge = 0.0;         // battery state of charge, 0..1
  double open_s = 0.0;         // how long the valve has been open, or closed
};

class FieldModel {
 public:
  FieldModel(Rng rng, std::int64_t start_ms);

  // Advances to now_ms (dt_s after the previous step) and writes one measured value per
  // sensor in catalog order. While `line_blocked`, an open valve delivers no water.
  void step(std::int64_t now_ms, double dt_s, bool line_blocked, std::span<double> measured);

  [[nodiscard]] const FieldState& state() const { return state_; }

 private:
  void advance_weather(std::int64_t now_ms, double dt_s);
  void advance_soil(double dt_s, bool line_blocked);
  void control_valve(double dt_s);
  void advance_battery(double dt_s);

  Rng rng_;
  FieldState state_;
  double daylight_ = 0.0;        // 0 at night, 1 with the sun at its highest
  double weather_ = 0.0;         // slow air temperature deviation from the daily cycle
  double humidity_noise_ = 0.0;  // humidity deviation from what the temperature implies
};

}  // namespace edgegw::sim
