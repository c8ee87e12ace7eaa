#include "machine_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sensor_catalog.hpp"

namespace edgegw::sim {
namespace {

constexpr double kLoadTauS = 60.0;   // how fast load follows its regime's target
constexpr double kLoadSigma = 0.06;  // stationary spread of load around the target
constexpr double kSpeedTauS = 8.0;   // drive ramp time
constexpr double kWeatherTauS = 1800.0;
constexpr double kWeatherSigma = 0.8;
constexpr double kGridTauS = 300.0;
constexpr double kGridSigma = 2.0;
constexpr double kIdleProbability = 0.1;  // share of regimes in which the machine idles
constexpr std::int64_t kDayMs = 86400000;

// Exact discretisation of an Ornstein-Uhlenbeck step: mean reversion factor and the noise
// that keeps the stationary spread at sigma, whatever dt is.
double ou_step(double x, double mean, double sigma, double tau_s, double dt_s, Rng& rng) {
  const double keep = std::exp(-dt_s / tau_s);
  return mean + (x - mean) * keep + sigma * std::sqrt(1.0 - keep * keep) * rng.normal();
}

double lag(double x, double target, double tau_s, double dt_s) {
  return target + (x - target) * std::exp(-dt_s / tau_s);
}

}  // namespace

std::string_view run_state_name(RunState s) {
  switch (s) {
    case RunState::idle:
      return "idle";
    case RunState::running:
      return "running";
    case RunState::fault:
      return "fault";
  }
  return "unknown";
}

MachineModel::MachineModel(DeviceClass device_class, Rng rng, std::int64_t start_ms)
    : class_(device_class), rng_(rng) {
  // Start in a steady running state so that a run has no warm-up transient.
  target_load_ = rng_.uniform(0.35, 0.95);
  regime_left_s_ = rng_.uniform(60.0, 1800.0);
  state_.load = target_load_;
  state_.speed = class_ == DeviceClass::compressor ? 1.0 : 0.45 + 0.55 * state_.load;
  weather_ = rng_.normal(0.0, kWeatherSigma);
  advance_state(start_ms, 0.0);
  std::array<double, 2> target{};
  std::array<double, 2> tau{};
  thermal_targets(target, tau);
  state_.thermal = target;
}

void MachineModel::advance_regime(double dt_s, bool faulted) {
  if (faulted) {
    state_.state = RunState::fault;
    regime_left_s_ = 0.0;  // a fresh regime starts after the repair
    return;
  }
  regime_left_s_ -= dt_s;
  if (regime_left_s_ <= 0.0 || state_.state == RunState::fault) {
    if (rng_.bernoulli(kIdleProbability)) {
      state_.state = RunState::idle;
      regime_left_s_ = 60.0 + rng_.uniform() * 1200.0;
    } else {
      state_.state = RunState::running;
      target_load_ = rng_.uniform(0.3, 1.0);
      regime_left_s_ = 120.0 + rng_.uniform() * 2400.0;
    }
  }
}

void MachineModel::advance_state(std::int64_t now_ms, double dt_s) {
  const bool running = state_.state == RunState::running;
  if (dt_s > 0.0) {
    if (running) {
      state_.load = std::clamp(
          ou_step(state_.load, target_load_, kLoadSigma, kLoadTauS, dt_s, rng_), 0.0, 1.0);
    } else {
      state_.load = lag(state_.load, 0.0, 5.0, dt_s);
    }
    double speed_target = 0.0;
    if (running) {
      speed_target = class_ == DeviceClass::compressor ? 1.0 : 0.45 + 0.55 * state_.load;
    }
    state_.speed = lag(state_.speed, speed_target, kSpeedTauS, dt_s);
    weather_ = ou_step(weather_, 0.0, kWeatherSigma, kWeatherTauS, dt_s, rng_);
    state_.grid = ou_step(state_.grid, 0.0, kGridSigma, kGridTauS, dt_s, rng_);
  }
  // Daily cycle in UTC: coolest around 03:00, warmest around 15:00.
  const double hour = static_cast<double>(((now_ms % kDayMs) + kDayMs) % kDayMs) / 3.6e6;
  state_.ambient = 21.0 + 6.0 * std::sin(2.0 * std::numbers::pi * (hour - 9.0) / 24.0) + weather_;
}

void MachineModel::thermal_targets(std::array<double, 2>& target,
                                   std::array<double, 2>& tau_s) const {
  const HiddenState& s = state_;
  std::array<double, kMaxSensors> t{};
  truth(t);
  switch (class_) {
    case DeviceClass::pump:  // bearing: heated by the motor current and by friction
      target = {s.ambient + 0.8 * t[2] + 20.0 * s.wear * s.speed, s.ambient};
      tau_s = {900.0, 900.0};
      break;
    case DeviceClass::motor:  // winding: I^2 R heating
      target = {s.ambient + 0.018 * t[0] * t[0] + 6.0 * s.wear * s.speed, s.ambient};
      tau_s = {1200.0, 1200.0};
      break;
    case DeviceClass::compressor:  // discharge gas heats fast; oil slowly
      target = {s.ambient + s.speed * (55.0 + 30.0 * s.load) + 10.0 * s.wear,
                s.ambient + s.speed * (25.0 + 15.0 * s.load) + 20.0 * s.wear * s.speed};
      tau_s = {300.0, 1500.0};
      break;
    case DeviceClass::field:  // not a machine: FieldModel
      break;
  }
}

// Noise-free sensor values from the hidden state, in catalog order.
void MachineModel::truth(std::span<double> out) const {
  const HiddenState& s = state_;
  const double w2 = s.wear * s.wear;
  switch (class_) {
    case DeviceClass::pump: {
      const double power = 0.3 * s.speed + 18.0 * s.load * s.speed + 2.5 * s.wear * s.speed;
      out[0] = 70.0 * s.speed * (1.0 - 0.1 * s.wear);     // flow
      out[1] = 0.3 + 5.0 * s.speed * s.speed;             // pressure
      out[2] = 0.2 + 1.7 * power;                         // current
      out[3] = s.thermal[0];                              // bearing_temp
      out[4] = 0.3 + 1.8 * s.speed + 9.0 * w2 * s.speed;  // vibration
      out[5] = power;                                     // power
      break;
    }
    case DeviceClass::motor: {
      out[0] = 1.0 * s.speed + 48.0 * s.load + 5.0 * s.wear * s.speed;  // current
      out[1] = 400.0 + s.grid - 0.05 * out[0];                          // voltage
      out[2] = 1480.0 * s.speed * (1.0 - 0.02 * s.load);                // speed
      out[3] = s.thermal[0];                                            // temperature
      out[4] = 0.4 + 1.6 * s.speed + 10.0 * w2 * s.speed;               // vibration
      break;
    }
    case DeviceClass::compressor: {
      out[0] = 1.0 + s.speed * (5.5 + 2.5 * s.load);  // discharge_pressure
      out[1] = 1.0 - 0.25 * s.load * s.speed;         // suction_pressure
      out[2] = 2.0 * s.speed + s.speed * 150.0 * s.load + 12.0 * s.wear * s.speed;  // current
      out[3] = s.thermal[0];                               // discharge_temp
      out[4] = s.thermal[1];                               // oil_temp
      out[5] = 0.6 + 2.2 * s.speed + 12.0 * w2 * s.speed;  // vibration
      break;
    }
    case DeviceClass::field:  // not a machine: FieldModel
      break;
  }
}

void MachineModel::step(std::int64_t now_ms, double dt_s, double wear, bool faulted,
                        std::span<double> measured) {
  state_.wear = wear;
  advance_regime(dt_s, faulted);
  advance_state(now_ms, dt_s);
  std::array<double, 2> target{};
  std::array<double, 2> tau{};
  thermal_targets(target, tau);
  for (std::size_t i = 0; i < 2; ++i) {
    state_.thermal.at(i) = lag(state_.thermal.at(i), target.at(i), tau.at(i), dt_s);
  }
  const auto specs = sensors_of(class_);
  truth(measured);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const double v = measured[i] + specs[i].noise * rng_.normal();
    measured[i] = std::max(v, specs[i].min_valid);
  }
}

}  // namespace edgegw::sim
