#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "anomaly/engine_impl.hpp"

namespace edgegw::analytics {

namespace {

std::string join(const std::vector<std::string>& errors) {
  std::string text = "invalid analytics config: ";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    text += (i > 0 ? "; " : "") + errors[i];
  }
  return text;
}

// Weight of a new arrival interval in the device's usual interval.
constexpr double kIntervalAlpha = 0.1;

// Bonferroni: the smallest p-value times the number of tests, over the detectors whose
// p-values come from a reference distribution.
double combined_p_value(const std::vector<ScoreEntry>& scores) {
  double min_p = 1.0;
  std::size_t tests = 0;
  for (const ScoreEntry& e : scores) {
    if (!has_reference_distribution(e.kind)) {
      continue;
    }
    ++tests;
    min_p = std::min(min_p, e.p_value);
  }
  return tests > 0 ? std::min(1.0, min_p * static_cast<double>(tests)) : 1.0;
}

}  // namespace

Engine::Impl::Impl(AnalyticsConfig c, std::shared_ptr<const DeviceMetadataTable> device_metadata)
    : config(std::move(c)),
      metadata(std::move(device_metadata)),
      gate(config.alert_update_interval_ms,
           std::max<std::uint32_t>(config.clear_after_samples, 1)) {
  const std::vector<std::string> errors = validate(config);
  if (!errors.empty()) {
    throw std::invalid_argument(join(errors));
  }
  const int max_dimension = static_cast<int>(config.max_sensors_per_device);
  for (const auto& [name, profile] : config.profiles) {
    profiles.push_back(std::make_unique<CompiledProfile>(name, profile, max_dimension,
                                                         config.clear_after_samples));
    if (name == kDefaultProfile) {
      default_profile = profiles.back().get();
    }
  }
}

CompiledProfile* Engine::Impl::find_profile(std::string_view name) {
  if (name.empty()) {
    return default_profile;
  }
  for (const auto& p : profiles) {
    if (p->name == name) {
      return p.get();
    }
  }
  ++stats.unknown_profiles;
  return default_profile;
}

void Engine::Impl::resolve_thresholds(DeviceState& d, std::vector<std::string>* missing) const {
  const DeviceMetadata* device_metadata = metadata ? metadata->find(d.name) : nullptr;
  d.rule_thresholds.resize(d.profile->rules.size());
  for (std::size_t r = 0; r < d.profile->rules.size(); ++r) {
    const ThresholdRule& rule = d.profile->rules[r];
    d.rule_thresholds[r] = rule.threshold_for(device_metadata);
    if (std::isnan(d.rule_thresholds[r]) && missing != nullptr) {
      missing->push_back(rule.config().threshold_meta);
    }
  }
}

DeviceState* Engine::Impl::device_for(std::string_view device, std::string_view profile,
                                      Output& out) {
  const auto it = devices.find(device);
  if (it != devices.end()) {
    return &it->second;
  }
  if (devices.size() >= config.max_devices) {
    ++stats.devices_rejected;
    return nullptr;
  }
  DeviceState& d = devices[std::string(device)];
  d.name = device;
  d.profile = find_profile(profile);
  d.rules.resize(d.profile->rules.size());
  d.rule_gates.resize(d.profile->rules.size());
  d.rule_sensors.assign(d.profile->rules.size(), -1);
  resolve_thresholds(d, &out.missing_meta);
  ++stats.devices_created;
  stats.devices_tracked = devices.size();
  account(d);
  return &d;
}

void Engine::Impl::account(DeviceState& d) {
  const std::uint64_t now = estimate_bytes(d);
  stats.state_bytes = stats.state_bytes - d.bytes + now;
  d.bytes = now;
}

int Engine::Impl::sensor_index(DeviceState& d, const std::string& name) {
  for (std::size_t i = 0; i < d.sensors.size(); ++i) {
    if (d.sensors[i].name == name) {
      return static_cast<int>(i);
    }
  }
  if (d.sensors.size() >= config.max_sensors_per_device) {
    ++stats.sensors_rejected;
    return -1;
  }
  SensorState s;
  s.name = name;
  s.watched = d.profile->sensor_detectors_watching(name);
  d.profile->sensor_detectors.each(s.detectors, [&](auto& unit, auto& slot, std::size_t k) {
    if (SensorDetectors::watches(s.watched, k)) {
      slot.state = unit.make_state();
    }
  });
  d.profile->device_detectors.each_sensor_part(
      s.device_detector_parts,
      [&](const auto& unit, auto& part, auto) { unit.add_sensor(part, name); });
  d.sensors.push_back(std::move(s));
  const int index = static_cast<int>(d.sensors.size()) - 1;
  for (std::size_t r = 0; r < d.profile->rules.size(); ++r) {
    if (d.profile->rules[r].config().sensor == name) {
      d.rule_sensors[r] = index;
    }
  }
  d.profile->device_detectors.each(d.detectors, [&](const auto& unit, auto& state, auto) {
    unit.on_sensor_added(state, d.sensors);
  });
  account(d);
  return index;
}

void Engine::Impl::score_reading(DeviceState& d, int index, double value, std::int64_t t,
                                 bool learn, Output& out, std::uint16_t reading_index) {
  SensorState& s = d.sensors[static_cast<std::size_t>(index)];
  CompiledProfile& p = *d.profile;
  s.last_value = value;
  s.has_value = true;
  p.sensor_detectors.each(s.detectors, [&](auto& unit, auto& slot, std::size_t k) {
    if (!SensorDetectors::watches(s.watched, k)) {
      return;
    }
    slot.verdict = unit.score(slot.state, value, t, learn);
    if (slot.verdict.ready) {
      out.scores.push_back(ScoreEntry{std::remove_cvref_t<decltype(unit)>::kKind, reading_index,
                                      slot.verdict.ratio, slot.verdict.p_value});
    }
  });
  p.device_detectors.each_sensor_part(
      s.device_detector_parts, [&](const auto& unit, auto& part, auto unit_index) {
        unit.on_reading(std::get<decltype(unit_index)::value>(d.detectors), part, index, value, t,
                        learn);
      });
  for (std::size_t r = 0; r < p.rules.size(); ++r) {
    if (d.rule_sensors[r] != index) {
      continue;
    }
    const double threshold = d.rule_thresholds[r];
    const RuleTransition tr = p.rules[r].update(d.rules[r], value, threshold, t);
    const double ratio = std::isfinite(threshold) ? p.rules[r].ratio(value, threshold) : 0.0;
    const GateEvent ev = gate.on_condition(d.rule_gates[r], tr == RuleTransition::raise,
                                           tr == RuleTransition::clear, ratio, t);
    emit_rule_alert(d, r, ev, value, t, out);
  }
}

// Lets a device-level detector that decides its own alerts raise them through the
// engine's gate and alert text.
class Engine::Impl::DeviceAlertChannel final : public AlertChannel {
 public:
  DeviceAlertChannel(Impl& engine, DeviceState& d, std::int64_t t, Output& out)
      : engine_(engine), device_(d), t_(t), out_(out) {}
  GateEvent on_condition(DetectorKind kind, bool raise, bool clear, double ratio) override {
    GateState& g = device_.gates[static_cast<std::size_t>(kind)];
    return engine_.gate.on_condition(g, raise, clear, ratio, t_);
  }
  void emit(DetectorKind kind, GateEvent event) override {
    engine_.emit_detector_alert(device_, kind, event, t_, out_);
  }

 private:
  Impl& engine_;
  DeviceState& device_;
  std::int64_t t_;
  Output& out_;
};

void Engine::Impl::score_device(DeviceState& d, const SampleContext& sample, Output& out) {
  DeviceAlertChannel alerts(*this, d, sample.event_ms, out);
  d.profile->device_detectors.each(d.detectors, [&](auto& unit, auto& state, auto) {
    unit.score(state, d.sensors, sample, alerts, out);
  });
}

bool Engine::Impl::commissioning(const DeviceState& d, std::int64_t t) const {
  const BaselineConfig& b = d.profile->config.baseline;
  return d.samples <= b.samples || t - d.first_event_ms < b.duration_ms;
}

void Engine::Impl::track_operating_state(DeviceState& d, const Sample& sample, std::int64_t t) {
  const OperatingStateConfig& c = d.profile->config.operating_state;
  if (c.sensor.empty()) {
    return;
  }
  for (const Reading& r : sample.readings) {
    if (r.sensor != c.sensor || !std::isfinite(r.value)) {
      continue;
    }
    OperatingState& s = d.operating;
    if (s.known && r.value != s.value) {
      s.settle_until_ms = t + c.settle_ms;
      ++stats.state_changes;
    }
    s.value = r.value;
    s.known = true;
  }
}

bool Engine::Impl::any_alert_open(const DeviceState& d) {
  const auto open = [](const GateState& g) { return g.open; };
  return std::any_of(d.gates.begin(), d.gates.end(), open) ||
         std::any_of(d.rule_gates.begin(), d.rule_gates.end(), open);
}

void Engine::Impl::update_gates(DeviceState& d, std::int64_t t, Output& out) {
  // Each per-sensor detector raises one alert for the device, on its highest ratio.
  SensorDetectors::for_each_type([&](auto unit, auto index) {
    constexpr DetectorKind kind = decltype(unit)::type::kKind;
    bool ready = false;
    double ratio = 0.0;
    for (const SensorState& s : d.sensors) {
      const Score& sc = std::get<decltype(index)::value>(s.detectors).verdict;
      if (sc.ready) {
        ready = true;
        ratio = std::max(ratio, sc.ratio);
      }
    }
    if (ready) {
      const auto slot = static_cast<std::size_t>(kind);
      emit_detector_alert(d, kind, gate.on_ratio(d.gates[slot], ratio, t), t, out);
    }
  });
  d.profile->device_detectors.each(d.detectors, [&](const auto& unit, const auto& state, auto) {
    unit.each_verdict(state, [&](DetectorKind kind, const Score& verdict) {
      if (verdict.ready) {
        const auto slot = static_cast<std::size_t>(kind);
        emit_detector_alert(d, kind, gate.on_ratio(d.gates[slot], verdict.ratio, t), t, out);
      }
    });
  });
}

Engine::Engine(AnalyticsConfig config, std::shared_ptr<const DeviceMetadataTable> metadata)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(metadata))) {}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::on_sample(const Sample& sample, std::string_view profile, std::int64_t now_ms,
                       Output& out) {
  Impl& m = *impl_;
  out.scores.clear();
  out.anomaly_score = 0.0;
  out.p_value = 1.0;
  out.alerting = false;
  out.missing_meta.clear();
  ++m.stats.samples;
  DeviceState* d = m.device_for(sample.device, profile, out);
  if (d == nullptr) {
    return;
  }
  if (d->arrivals > 0 && now_ms > d->last_arrival_ms) {
    const double interval = static_cast<double>(now_ms - d->last_arrival_ms);
    d->interval_ms =
        d->arrivals == 1 ? interval : d->interval_ms + kIntervalAlpha * (interval - d->interval_ms);
  }
  d->last_arrival_ms = std::max(d->last_arrival_ms, now_ms);
  ++d->arrivals;
  const auto silence = static_cast<std::size_t>(DetectorKind::silence);
  m.emit_detector_alert(*d, DetectorKind::silence,
                        m.gate.on_condition(d->gates[silence], false, true, 0.0, now_ms), now_ms,
                        out);
  m.clear_offline(*d, now_ms, "data arrived", out);

  const std::int64_t t = sample.timestamp_ms;
  const std::int64_t length = m.config.window_ms;
  if (d->clock.started && window_start(t, length) + length <= d->clock.closed_until_ms) {
    ++m.stats.late_samples;  // its window is closed: it would also reorder the detectors
    out.alerting = Impl::any_alert_open(*d);
    return;
  }
  if (advance_clock(d->clock, t, length, m.config.allowed_lateness_ms)) {
    m.close_windows_until(*d, d->clock.closed_until_ms, out);
  }
  d->last_event_ms = std::max(d->last_event_ms, t);
  if (d->samples++ == 0) {
    d->first_event_ms = t;
  }

  const bool commissioning = m.commissioning(*d, t);
  // A frozen baseline: after commissioning the models score but no longer learn.
  const bool learn = !d->profile->config.baseline.freeze || commissioning;
  const std::size_t sensors_before = d->sensors.size();
  for (std::size_t r = 0; r < sample.readings.size(); ++r) {
    const Reading& reading = sample.readings[r];
    ++m.stats.readings;
    const int index = m.sensor_index(*d, reading.sensor);
    if (index < 0) {
      continue;
    }
    if (!std::isfinite(reading.value)) {
      ++m.stats.invalid_values;
      continue;
    }
    SensorState& s = d->sensors[static_cast<std::size_t>(index)];
    if (add_to_window(s.windows, d->clock, length, t, reading.value) == AddResult::no_slot) {
      ++m.stats.late_samples;  // cannot happen with validated lateness; counted if it does
    }
    m.score_reading(*d, index, reading.value, t, learn, out, static_cast<std::uint16_t>(r));
  }
  // While commissioning, and while a change of operating state settles, the models learn
  // and nothing but rules and silence may alert.
  m.track_operating_state(*d, sample, t);
  const bool quiet = commissioning || t < d->operating.settle_until_ms;
  m.score_device(*d, SampleContext{t, learn, quiet}, out);
  // Detector state grows as it is first used (a sensor's history at its first value, the
  // episode ring at the device's second sample): count it then, not only when the device
  // or the sensor was created.
  if (d->samples <= 2 || d->sensors.size() != sensors_before) {
    m.account(*d);
  }
  out.p_value = combined_p_value(out.scores);
  if (!quiet) {
    m.update_gates(*d, t, out);
  }
  out.alerting = Impl::any_alert_open(*d);
}

EngineStats Engine::stats() const {
  return impl_->stats;
}
const AnalyticsConfig& Engine::config() const {
  return impl_->config;
}

}  // namespace edgegw::analytics
