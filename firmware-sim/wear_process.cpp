#include "wear_process.hpp"

#include <algorithm>
#include <cmath>

namespace edgegw::sim {

WearProcess::WearProcess(const WearConfig& config, std::int64_t interval_ms, Rng rng)
    : config_(config), rng_(rng) {
  const double ticks_per_hour = 3.6e6 / static_cast<double>(interval_ms);
  ticks_per_hour_ = std::max<std::int64_t>(1, std::llround(ticks_per_hour));
  repair_ticks_ =
      std::max<std::int64_t>(1, std::llround(config_.repair_minutes * ticks_per_hour / 60.0));
  if (!config_.enabled) {
    return;
  }
  if (!config_.first_failure_minutes) {
    start_life(rng_.uniform(0.0, 0.8));
    return;
  }
  const auto [min_minutes, max_minutes] = *config_.first_failure_minutes;
  const double minutes = rng_.uniform(min_minutes, max_minutes);
  start_life(0.0);
  const std::int64_t rul = std::max<std::int64_t>(
      1, std::llround(minutes * static_cast<double>(ticks_per_hour_) / 60.0));
  set_age(std::max<std::int64_t>(0, life_ticks_ - rul));
}

void WearProcess::start_life(double initial_fraction) {
  ++life_;
  const double hours = rng_.uniform(config_.min_life_hours, config_.max_life_hours);
  life_ticks_ =
      std::max<std::int64_t>(2, std::llround(hours * static_cast<double>(ticks_per_hour_)));
  bridge_ = 0.0;
  set_age(static_cast<std::int64_t>(initial_fraction * static_cast<double>(life_ticks_)));
}

void WearProcess::set_age(std::int64_t age) {
  age_ = age;
  wear_ = 0.0;
  if (age_ > 0) {
    wear_ = std::pow(static_cast<double>(age_) / static_cast<double>(life_ticks_), config_.shape);
  }
}

std::int64_t WearProcess::rul_ticks() const {
  if (!config_.enabled || repair_left_ > 0) {
    return 0;
  }
  return life_ticks_ - age_;
}

WearEvent WearProcess::step() {
  if (!config_.enabled) {
    return WearEvent::none;
  }
  if (repair_left_ > 0) {
    if (--repair_left_ == 0) {
      start_life(0.0);
      return WearEvent::repaired;
    }
    return WearEvent::none;
  }
  ++age_;
  if (age_ >= life_ticks_) {
    wear_ = 1.0;
    repair_left_ = repair_ticks_;
    return WearEvent::failed;
  }
  // Brownian bridge step towards 0 at the end of life: given n steps left, move 1/n of
  // the way back and add noise of the conditional variance (n-1)/n per unit step.
  const auto left = static_cast<double>(life_ticks_ - age_ + 1);
  const double sigma = config_.volatility / std::sqrt(static_cast<double>(ticks_per_hour_));
  bridge_ += -bridge_ / left + sigma * std::sqrt((left - 1.0) / left) * rng_.normal();
  const double base =
      std::pow(static_cast<double>(age_) / static_cast<double>(life_ticks_), config_.shape);
  // Wear never heals within a life, and reaches 1 only at the failure.
  wear_ = std::clamp(base * std::exp(bridge_), wear_, 0.999);
  return WearEvent::none;
}

}  // namespace edgegw::sim
