#include "anomaly_injector.hpp"

#include <algorithm>
#include <cmath>

namespace edgegw::sim {
namespace {

constexpr double kWanderTauS = 120.0;  // broken correlation: how fast the sensor wanders

}  // namespace

AnomalyInjector::AnomalyInjector(const AnomalyConfig& config, DeviceClass device_class,
                                 std::int64_t interval_ms, Rng rng)
    : config_(config),
      specs_(sensors_of(device_class)),
      interval_ms_(interval_ms),
      dt_hours_(static_cast<double>(interval_ms) / 3.6e6),
      rng_(rng) {}

void AnomalyInjector::maybe_start(std::int64_t now_ms, std::span<double> values) {
  for (std::size_t k = 0; k < kAnomalyKindCount; ++k) {
    const AnomalySpec& spec = config_.kinds.at(k);
    // Always draw, so that one kind's rate does not shift the numbers of another.
    const bool hit = rng_.bernoulli(spec.rate_per_hour * dt_hours_);
    const std::size_t sensor =
        static_cast<std::size_t>(rng_.uniform_int(0, static_cast<std::int64_t>(specs_.size()) - 1));
    const double duration_s = rng_.uniform(spec.min_duration_s, spec.max_duration_s);
    const double sign = rng_.bernoulli(0.5) ? 1.0 : -1.0;
    if (!hit || !config_.enabled) {
      continue;
    }
    const auto kind = static_cast<AnomalyKind>(k);
    std::optional<Active>& slot = kind == AnomalyKind::dropout ? dropout_ : per_sensor_.at(sensor);
    if (slot) {
      continue;  // one window per sensor at a time keeps labels exact
    }
    Active a;
    a.kind = kind;
    a.start_ms = now_ms;
    a.ticks = std::max<std::int64_t>(
        1, std::llround(duration_s * 1000.0 / static_cast<double>(interval_ms_)));
    if (kind != AnomalyKind::dropout) {
      const SensorSpec& s = specs_[sensor];
      a.delta = sign * spec.magnitude * s.scale;
      a.held = kind == AnomalyKind::stuck && has_previous_ ? previous_.at(sensor) : values[sensor];
      if (kind == AnomalyKind::stuck) {
        a.delta = a.held;
      } else if (kind == AnomalyKind::noise_burst || kind == AnomalyKind::broken_correlation) {
        a.delta = std::abs(a.delta);  // a spread, not a direction
      }
    }
    slot = a;
  }
}

double AnomalyInjector::effect(Active& a, const SensorSpec& spec, double value) {
  const double progress = static_cast<double>(a.done + 1) / static_cast<double>(a.ticks);
  switch (a.kind) {
    case AnomalyKind::spike:
    case AnomalyKind::level_shift:
      return value + a.delta;
    case AnomalyKind::drift:
      return value + a.delta * progress;
    case AnomalyKind::stuck:
      return a.held;
    case AnomalyKind::noise_burst:
      return value + std::abs(a.delta) * rng_.normal();
    case AnomalyKind::broken_correlation: {
      // An independent wander around the value at the start: no longer tied to the state.
      const double dt_s = static_cast<double>(interval_ms_) / 1000.0;
      const double keep = std::exp(-dt_s / kWanderTauS);
      a.wander = a.wander * keep + std::abs(a.delta) * std::sqrt(1.0 - keep * keep) * rng_.normal();
      return a.held + a.wander + spec.noise * rng_.normal();
    }
    case AnomalyKind::dropout:
      return value;
  }
  return value;
}

Label AnomalyInjector::make_label(const Active& a, const std::string& device,
                                  const std::string& sensor) const {
  Label l;
  l.type = LabelType::anomaly;
  l.device = device;
  l.sensor = sensor;
  l.kind = std::string(anomaly_name(a.kind));
  l.start_ms = a.start_ms;
  l.end_ms = a.last_ms;
  l.value = a.delta;
  return l;
}

bool AnomalyInjector::apply(std::int64_t now_ms, std::span<double> values,
                            const std::string& device, std::vector<Label>& ended) {
  maybe_start(now_ms, values);
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    std::optional<Active>& slot = per_sensor_.at(i);
    if (!slot) {
      continue;
    }
    const SensorSpec& spec = specs_[i];
    values[i] = slot->kind == AnomalyKind::stuck
                    ? slot->held
                    : std::clamp(effect(*slot, spec, values[i]), spec.min_valid, spec.max_valid);
    slot->last_ms = now_ms;
    if (++slot->done == slot->ticks) {
      ended.push_back(make_label(*slot, device, std::string(spec.name)));
      slot.reset();
    }
  }
  std::copy(values.begin(), values.end(), previous_.begin());
  has_previous_ = true;
  if (!dropout_) {
    return false;
  }
  dropout_->last_ms = now_ms;
  if (++dropout_->done == dropout_->ticks) {
    ended.push_back(make_label(*dropout_, device, ""));
    dropout_.reset();
  }
  return true;
}

void AnomalyInjector::close_all(const std::string& device, std::vector<Label>& ended) {
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    std::optional<Active>& slot = per_sensor_.at(i);
    if (slot && slot->done > 0) {
      ended.push_back(make_label(*slot, device, std::string(specs_[i].name)));
    }
    slot.reset();
  }
  if (dropout_ && dropout_->done > 0) {
    ended.push_back(make_label(*dropout_, device, ""));
  }
  dropout_.reset();
}

}  // namespace edgegw::sim
