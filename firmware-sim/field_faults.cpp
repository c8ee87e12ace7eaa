#include "field_faults.hpp"

#include <algorithm>
#include <cmath>

#include "sensor_catalog.hpp"

namespace edgegw::sim {
namespace {

// Catalog order of the field station's sensors (sensor_catalog.cpp).
constexpr std::size_t kSoilMoisture = 0;
constexpr std::size_t kBattery = 3;
constexpr double kCutOffVolts = 3.2;
constexpr double kSagShare = 0.75;  // of a battery failure's window; silent after it

std::size_t index_of(FieldFaultKind k) {
  return static_cast<std::size_t>(k);
}

}  // namespace

FieldFaults::FieldFaults(const FieldFaultConfig& config, std::int64_t interval_ms, Rng rng)
    : config_(config),
      interval_ms_(interval_ms),
      dt_hours_(static_cast<double>(interval_ms) / 3.6e6),
      rng_(rng) {}

bool FieldFaults::start_tick(std::int64_t now_ms) {
  for (std::size_t k = 0; k < kFieldFaultKindCount; ++k) {
    const AnomalySpec& spec = config_.kinds.at(k);
    // Always draw, so that one kind's rate does not shift the numbers of another.
    const bool hit = rng_.bernoulli(spec.rate_per_hour * dt_hours_);
    const double duration_s = rng_.uniform(spec.min_duration_s, spec.max_duration_s);
    const double sign = rng_.bernoulli(0.5) ? 1.0 : -1.0;
    if (!hit || !config_.enabled || active_.at(k)) {
      continue;
    }
    Active a;
    a.start_ms = now_ms;
    a.ticks = std::max<std::int64_t>(
        1, std::llround(duration_s * 1000.0 / static_cast<double>(interval_ms_)));
    if (static_cast<FieldFaultKind>(k) == FieldFaultKind::sensor_drift) {
      a.delta = sign * spec.magnitude * sensors_of(DeviceClass::field)[kSoilMoisture].scale;
    }
    active_.at(k) = a;
  }
  return active_.at(index_of(FieldFaultKind::dry_out)).has_value();
}

double FieldFaults::progress(const Active& a) const {
  return static_cast<double>(a.done + 1) / static_cast<double>(a.ticks);
}

void FieldFaults::mark(Active& a, std::int64_t now_ms) {
  if (!a.seen) {
    a.start_ms = now_ms;
    a.seen = true;
  }
  a.last_ms = now_ms;
}

bool FieldFaults::apply(std::int64_t now_ms, bool irrigating, std::span<double> values,
                        const std::string& device, std::vector<Label>& ended) {
  bool silent = false;
  for (std::size_t k = 0; k < kFieldFaultKindCount; ++k) {
    std::optional<Active>& slot = active_.at(k);
    if (!slot) {
      continue;
    }
    const auto kind = static_cast<FieldFaultKind>(k);
    switch (kind) {
      case FieldFaultKind::sensor_drift:
        values[kSoilMoisture] =
            std::max(0.0, values[kSoilMoisture] + slot->delta * progress(*slot));
        mark(*slot, now_ms);
        break;
      case FieldFaultKind::dry_out:
        if (!irrigating && !slot->seen) {
          continue;  // unnoticed until an irrigation fails; its time runs from then
        }
        mark(*slot, now_ms);
        break;
      case FieldFaultKind::battery_failure: {
        const double sag = std::min(1.0, progress(*slot) / kSagShare);
        values[kBattery] -= (values[kBattery] - kCutOffVolts) * sag;
        silent = progress(*slot) > kSagShare;
        mark(*slot, now_ms);
        break;
      }
    }
    if (++slot->done == slot->ticks) {
      ended.push_back(make_label(kind, *slot, device));
      slot.reset();
    }
  }
  return silent;
}

void FieldFaults::close_all(const std::string& device, std::vector<Label>& ended) {
  for (std::size_t k = 0; k < kFieldFaultKindCount; ++k) {
    std::optional<Active>& slot = active_.at(k);
    if (slot && slot->seen) {
      ended.push_back(make_label(static_cast<FieldFaultKind>(k), *slot, device));
    }
    slot.reset();
  }
}

Label FieldFaults::make_label(FieldFaultKind kind, const Active& a,
                              const std::string& device) const {
  const auto specs = sensors_of(DeviceClass::field);
  Label l;
  l.type = LabelType::anomaly;
  l.device = device;
  l.sensor =
      std::string(specs[kind == FieldFaultKind::battery_failure ? kBattery : kSoilMoisture].name);
  l.kind = std::string(field_fault_name(kind));
  l.start_ms = a.start_ms;
  l.end_ms = a.last_ms;
  l.value = a.delta;
  return l;
}

}  // namespace edgegw::sim
