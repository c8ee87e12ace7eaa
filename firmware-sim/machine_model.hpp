#pragma once
// The physics of one simulated machine: a hidden state (load, speed, ambient temperature
// with a daily cycle, wear, lagged temperatures) that every sensor of the device derives
// from, so that sensors are correlated the way real ones are: current follows load,
// temperatures follow current and ambient with a lag, vibration follows speed and wear.
//
// Owned by one SimDevice; single-threaded; deterministic given its Rng.

#include <array>
#include <cstdint>
#include <span>

#include "fleet_config.hpp"
#include "rng.hpp"

namespace edgegw::sim {

enum class RunState : std::uint8_t { idle = 0, running = 1, fault = 2 };
std::string_view run_state_name(RunState s);

struct HiddenState {
  RunState state = RunState::running;
  double load = 0.0;                // 0..1, demand on the machine
  double speed = 0.0;               // 0..1 of rated speed; lags the load
  double ambient = 20.0;            // degC, daily cycle plus weather
  double wear = 0.0;                // 0..1, from the WearProcess
  double grid = 0.0;                // supply voltage deviation, V
  std::array<double, 2> thermal{};  // first-order lagged temperatures, degC
};

class MachineModel {
 public:
  MachineModel(DeviceClass device_class, Rng rng, std::int64_t start_ms);

  // Advances the hidden state to now_ms (dt_s after the previous step) and writes one
  // measured value (truth plus noise) per sensor of the class, in catalog order.
  void step(std::int64_t now_ms, double dt_s, double wear, bool faulted,
            std::span<double> measured);

  [[nodiscard]] const HiddenState& state() const { return state_; }

 private:
  void advance_regime(double dt_s, bool faulted);
  void advance_state(std::int64_t now_ms, double dt_s);
  void thermal_targets(std::array<double, 2>& target, std::array<double, 2>& tau_s) const;
  void truth(std::span<double> out) const;

  DeviceClass class_;
  Rng rng_;
  HiddenState state_;
  double target_load_ = 0.6;
  double regime_left_s_ = 0.0;
  double weather_ = 0.0;  // slow ambient deviation from the daily cycle
};

}  // namespace edgegw::sim
