#include "field_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sensor_catalog.hpp"

namespace edgegw::sim {
namespace {

constexpr std::int64_t kDayMs = 86400000;
constexpr double kWeatherTauS = 3.0 * 3600;
constexpr double kWeatherSigma = 1.5;  // degC
constexpr double kHumidityTauS = 3600.0;
constexpr double kHumiditySigma = 4.0;  // %
// The controller keeps the root zone between these (%, volumetric water content).
constexpr double kOpenBelow = 24.0;
constexpr double kCloseAt = 32.0;
constexpr double kMaxOpenS = 3.0 * 3600;  // then it gives up, whatever the soil says
constexpr double kMinClosedS = 3600.0;    // and waits before it tries again
constexpr double kInflowPerHour = 4.0;    // % per hour with the valve open
constexpr double kDrainAbove = 36.0;      // field capacity: wetter soil drains
constexpr double kChargePerHour = 0.04;   // solar, in full sun
constexpr double kDrainPerHour = 0.006;   // sensor, radio, valve solenoid

// Exact discretisation of an Ornstein-Uhlenbeck step (see machine_model.cpp).
double ou_step(double x, double sigma, double tau_s, double dt_s, Rng& rng) {
  const double keep = std::exp(-dt_s / tau_s);
  return x * keep + sigma * std::sqrt(1.0 - keep * keep) * rng.normal();
}

double hour_of_day(std::int64_t now_ms) {
  return static_cast<double>(((now_ms % kDayMs) + kDayMs) % kDayMs) / 3.6e6;
}

}  // namespace

FieldModel::FieldModel(Rng rng, std::int64_t start_ms) : rng_(rng) {
  state_.soil_moisture = rng_.uniform(kOpenBelow, kCloseAt);
  state_.charge = rng_.uniform(0.7, 1.0);
  state_.open_s = kMinClosedS;
  weather_ = rng_.normal(0.0, kWeatherSigma);
  advance_weather(start_ms, 0.0);
}

void FieldModel::advance_weather(std::int64_t now_ms, double dt_s) {
  if (dt_s > 0.0) {
    weather_ = ou_step(weather_, kWeatherSigma, kWeatherTauS, dt_s, rng_);
    humidity_noise_ = ou_step(humidity_noise_, kHumiditySigma, kHumidityTauS, dt_s, rng_);
  }
  // In UTC, as the machines: sunrise 06:00, sunset 18:00; warmest around 15:00.
  const double hour = hour_of_day(now_ms);
  daylight_ = std::max(0.0, std::sin(2.0 * std::numbers::pi * (hour - 6.0) / 24.0));
  state_.air_temp = 16.0 + 7.0 * std::sin(2.0 * std::numbers::pi * (hour - 9.0) / 24.0) + weather_;
  state_.humidity =
      std::clamp(68.0 - 2.5 * (state_.air_temp - 16.0) + humidity_noise_, 10.0, 100.0);
}

void FieldModel::advance_soil(double dt_s, bool line_blocked) {
  const double hours = dt_s / 3600.0;
  // Evapotranspiration: a little at night, most on warm dry afternoons.
  const double dryness = 1.0 - state_.humidity / 100.0;
  const double et = 0.15 + 1.2 * daylight_ * dryness * std::max(0.0, state_.air_temp) / 20.0;
  double change = -et * hours;
  if (state_.irrigating && !line_blocked) {
    change += kInflowPerHour * hours;
  }
  if (state_.soil_moisture > kDrainAbove) {
    change -= 0.5 * (state_.soil_moisture - kDrainAbove) * hours;
  }
  state_.soil_moisture = std::clamp(state_.soil_moisture + change, 5.0, 55.0);
}

void FieldModel::control_valve(double dt_s) {
  state_.open_s += dt_s;
  if (state_.irrigating) {
    if (state_.soil_moisture >= kCloseAt || state_.open_s >= kMaxOpenS) {
      state_.irrigating = false;
      state_.open_s = 0.0;
    }
  } else if (state_.soil_moisture < kOpenBelow && state_.open_s >= kMinClosedS) {
    state_.irrigating = true;
    state_.open_s = 0.0;
  }
}

void FieldModel::advance_battery(double dt_s) {
  const double hours = dt_s / 3600.0;
  state_.charge =
      std::clamp(state_.charge + (kChargePerHour * daylight_ - kDrainPerHour) * hours, 0.0, 1.0);
}

void FieldModel::step(std::int64_t now_ms, double dt_s, bool line_blocked,
                      std::span<double> measured) {
  advance_weather(now_ms, dt_s);
  advance_soil(dt_s, line_blocked);
  control_valve(dt_s);
  advance_battery(dt_s);
  // Truth plus noise, in catalog order (sensor_catalog.cpp); a cell charging in the sun
  // reads a little higher than its resting voltage.
  const std::array<double, 4> truth{state_.soil_moisture, state_.air_temp, state_.humidity,
                                    3.3 + 0.85 * state_.charge + 0.04 * daylight_};
  const auto specs = sensors_of(DeviceClass::field);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    // A saturated humidity sensor reads 100 %, not more.
    measured[i] = std::clamp(truth.at(i) + specs[i].noise * rng_.normal(), specs[i].min_valid,
                             specs[i].max_valid);
  }
}

}  // namespace edgegw::sim
