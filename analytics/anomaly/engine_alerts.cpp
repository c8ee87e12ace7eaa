// Turns gate events into Alerts with their evidence. Runs only on transitions, so the
// strings it builds are not a per-sample cost.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "anomaly/engine_impl.hpp"

namespace edgegw::analytics {
namespace {

std::string format(const char* pattern, double a, double b, double c) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, pattern, a, b, c);
  return buffer;
}

const char* verb(GateEvent e) {
  switch (e) {
    case GateEvent::raise:
      return "raised";
    case GateEvent::update:
      return "updated";
    case GateEvent::clear:
      return "cleared";
    case GateEvent::none:
      break;
  }
  return "";
}

AlertState state_of(GateEvent e) {
  if (e == GateEvent::update) {
    return AlertState::updated;
  }
  return e == GateEvent::clear ? AlertState::cleared : AlertState::raised;
}

// Calls f(std::type_identity<Unit>, index) for the per-sensor detector named `kind`;
// false when no per-sensor detector has that name.
template <typename F>
bool visit_sensor_detector(DetectorKind kind, F&& f) {
  bool found = false;
  SensorDetectors::for_each_type([&](auto unit, auto index) {
    if (decltype(unit)::type::kKind == kind) {
      f(unit, index);
      found = true;
    }
  });
  return found;
}

// Calls f(std::type_identity<Unit>, index) for the device-level detector that raises
// alerts named `kind`; false when none does.
template <typename F>
bool visit_device_detector(DetectorKind kind, F&& f) {
  bool found = false;
  DeviceDetectors::for_each_type([&](auto unit, auto index) {
    const auto& kinds = decltype(unit)::type::kAlertKinds;
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
      f(unit, index);
      found = true;
    }
  });
  return found;
}

template <typename F>
bool visit_detector_unit(DetectorKind kind, F&& f) {
  return visit_sensor_detector(kind, f) || visit_device_detector(kind, f);
}

AlertParameters parameters(const ProfileConfig& p, DetectorKind k) {
  AlertParameters from_unit;
  if (visit_detector_unit(k, [&](auto unit, auto) {
        using Unit = typename decltype(unit)::type;
        from_unit = Unit::alert_parameters(Unit::config_of(p));
      })) {
    return from_unit;
  }
  switch (k) {
    case DetectorKind::silence:
      return {{"intervals", p.silence.intervals},
              {"min_silence_s", static_cast<double>(p.silence.min_silence_ms) / 1000.0}};
    default:  // the detector units, above
      break;
  }
  return {};
}

Severity severity_of(const ProfileConfig& p, DetectorKind k) {
  Severity from_unit = Severity::warning;
  if (visit_detector_unit(k, [&](auto unit, auto) {
        using Unit = typename decltype(unit)::type;
        from_unit = Unit::config_of(p).severity;
      })) {
    return from_unit;
  }
  switch (k) {
    case DetectorKind::silence:
    case DetectorKind::offline:  // the same news as silence, only certain
      return p.silence.severity;
    default:  // the detector units, above
      break;
  }
  return Severity::warning;
}

template <typename Unit, std::size_t kSlot>
void describe_sensor_detector(const DeviceState& d, GateEvent event, Alert& a) {
  const SensorState* top = nullptr;
  const auto verdict = [](const SensorState& s) -> const Score& {
    return std::get<kSlot>(s.detectors).verdict;
  };
  for (const SensorState& s : d.sensors) {
    const Score& sc = verdict(s);
    if (sc.ready && sc.ratio >= kClearRatio) {
      a.sensors.push_back(SensorEvidence{s.name, s.last_value, sc.expected, sc.scale});
    }
    if (sc.ready && (top == nullptr || sc.ratio > verdict(*top).ratio)) {
      top = &s;
    }
  }
  if (top == nullptr) {
    return;
  }
  const Score& sc = verdict(*top);
  if (a.sensors.empty()) {
    a.sensors.push_back(SensorEvidence{top->name, top->last_value, sc.expected, sc.scale});
  }
  a.score = sc.ratio;
  a.statistic = sc.statistic;
  a.threshold = sc.threshold;
  a.p_value = sc.p_value;
  a.window_ms = evidence_window_ms<Unit>(std::get<kSlot>(top->detectors).state, a.event_ms);
  a.message = top->name + ": " + std::string(detector_name(Unit::kKind)) + " alert " + verb(event) +
              format(", statistic %.4g vs threshold %.4g (value %.6g)", sc.statistic, sc.threshold,
                     top->last_value);
}

}  // namespace

void Engine::Impl::count(GateEvent event) {
  if (event == GateEvent::raise) {
    ++stats.alerts_raised;
  } else if (event == GateEvent::update) {
    ++stats.alerts_updated;
  } else if (event == GateEvent::clear) {
    ++stats.alerts_cleared;
  }
}

void Engine::Impl::emit_detector_alert(DeviceState& d, DetectorKind kind, GateEvent event,
                                       std::int64_t t, Output& out) {
  if (event == GateEvent::none) {
    return;
  }
  count(event);
  const GateState& g = d.gates[static_cast<std::size_t>(kind)];
  Alert& a = out.alerts.emplace_back();
  a.device = d.name;
  a.origin = AlertOrigin::detector;
  a.source = std::string(detector_name(kind));
  a.profile = d.profile->name;
  a.id = make_alert_id(a.device, a.source, g.raised_ms);
  a.state = state_of(event);
  a.severity = severity_of(d.profile->config, kind);
  a.raised_ms = g.raised_ms;
  a.event_ms = t;
  a.parameters = parameters(d.profile->config, kind);
  if (visit_sensor_detector(kind, [&](auto unit, auto index) {
        describe_sensor_detector<typename decltype(unit)::type, decltype(index)::value>(d, event,
                                                                                        a);
      })) {
    return;
  }
  if (visit_device_detector(kind, [&](auto, auto index) {
        constexpr std::size_t kSlot = decltype(index)::value;
        d.profile->device_detectors.unit<kSlot>().describe(std::get<kSlot>(d.detectors), kind,
                                                           d.sensors, verb(event), g, a);
      })) {
    return;
  }
  if (kind == DetectorKind::silence) {
    const SilenceConfig& sc = d.profile->config.silence;
    const double limit =
        std::max(sc.intervals * d.interval_ms, static_cast<double>(sc.min_silence_ms));
    a.statistic = static_cast<double>(t - d.last_arrival_ms) / 1000.0;
    a.threshold = limit / 1000.0;
    a.score = a.statistic / a.threshold;
    a.window_ms = t - d.last_arrival_ms;
    a.message = d.name + ": silence alert " + verb(event) +
                format(", no sample for %.1f s (limit %.1f s, usual interval %.1f s)", a.statistic,
                       a.threshold, d.interval_ms / 1000.0);
  }
  if (kind == DetectorKind::offline) {
    // No statistic to compare: the device said so. The time it has been gone instead.
    a.score = 1.0;
    a.statistic = static_cast<double>(t - g.raised_ms) / 1000.0;
    a.window_ms = t - g.raised_ms;
    a.message = d.name + ": offline alert " + verb(event);
  }
}

void Engine::Impl::emit_rule_alert(DeviceState& d, std::size_t rule, GateEvent event, double value,
                                   std::int64_t t, Output& out) {
  if (event == GateEvent::none) {
    return;
  }
  count(event);
  const ThresholdRule& r = d.profile->rules[rule];
  const RuleConfig& rc = r.config();
  const GateState& g = d.rule_gates[rule];
  Alert& a = out.alerts.emplace_back();
  a.device = d.name;
  a.origin = AlertOrigin::rule;
  a.source = "rule:" + rc.name;
  a.profile = d.profile->name;
  a.id = make_alert_id(a.device, a.source, g.raised_ms);
  a.state = state_of(event);
  a.severity = rc.severity;
  a.raised_ms = g.raised_ms;
  a.event_ms = t;
  const double threshold = d.rule_thresholds[rule];
  a.statistic = value;
  a.threshold = threshold;
  a.score = std::isfinite(value) && std::isfinite(threshold) ? r.ratio(value, threshold) : 0.0;
  a.window_ms = event == GateEvent::raise ? rc.for_ms : t - g.raised_ms;
  a.sensors.push_back(SensorEvidence{rc.sensor, value, threshold, 0.0});
  a.parameters = {{"threshold", threshold},
                  {"clear", r.clear_level(threshold)},
                  {"for_s", static_cast<double>(rc.for_ms) / 1000.0}};
  a.message =
      d.name + ": rule " + rc.name + " " + verb(event) + ", " + rc.sensor + " = " +
      format("%.6g, threshold %.6g, clears at %.6g", value, threshold, r.clear_level(threshold));
  if (!rc.threshold_meta.empty()) {
    a.message += " (meta." + rc.threshold_meta + ")";
  }
}

}  // namespace edgegw::analytics
