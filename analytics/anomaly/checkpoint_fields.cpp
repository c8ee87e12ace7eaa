// The engine's own fields of a device and its sensors in the checkpoint, and where the
// detectors' go (each unit lists its state's fields: state_fields(), sensor_fields()).
// Each function below lists a struct's fields once; `Io` is the Writer (const struct) or
// the Reader (mutable one). Reading checks each index against what it indexes and each
// size against the profile, so a decoded device can be used as it is.

#include "anomaly/checkpoint_fields.hpp"

#include <concepts>
#include <type_traits>

namespace edgegw::analytics::checkpoint {
namespace {

// A field added to one of these structs must be saved below (then update the size and
// raise kFormatVersion in checkpoint.hpp). Checked where pointers are 8 bytes (the sizes
// differ elsewhere, the lists do not).
constexpr bool kLp64 = sizeof(void*) == 8;
static_assert(!kLp64 || sizeof(Score) == 56, "Score changed: update its fields here");
static_assert(!kLp64 || sizeof(WindowSlot) == 72, "WindowSlot changed: update its fields here");
static_assert(!kLp64 || sizeof(WindowClock) == 24, "WindowClock changed: update its fields here");
static_assert(!kLp64 || sizeof(SensorState) == 1032, "SensorState changed: update its fields here");
static_assert(!kLp64 || sizeof(GateState) == 40, "GateState changed: update its fields here");
static_assert(!kLp64 || sizeof(RuleState) == 16, "RuleState changed: update its fields here");
static_assert(!kLp64 || sizeof(OperatingState) == 24,
              "OperatingState changed: update its fields here");
static_assert(!kLp64 || sizeof(DeviceState) == 1168, "DeviceState changed: update its fields here");
static_assert(!kLp64 || sizeof(EngineStats) == 128, "EngineStats changed: update its fields here");
static_assert(!kLp64 || sizeof(ProfileConfig) == 600,
              "ProfileConfig changed: update fingerprint() here");

template <typename S, typename T>
concept Is = std::same_as<std::remove_const_t<S>, T>;

// The smallest a sensor can be on the wire (bounds the reader's count before it
// allocates): far below its real size, which only makes the bound looser.
constexpr std::size_t kMinSensorBytes = 256;

// Format version 2 names the device-level detectors: it saves the multivariate model
// after the alert gates and the anomaly detector after the operating state, and the
// anomaly detector's settings before the per-sensor detectors' in the fingerprint.
// Version 3 adds the offline alert's gate (a death certificate) after the others.
// Version 4 keeps the anomaly detector's past values as float offsets from an origin.
static_assert(
    std::is_same_v<DeviceDetectors, DeviceDetectorList<MultivariateDetector, AnomalyDetector>>,
    "a new device-level detector: save it below and raise kFormatVersion");

// A vector of structs: the count, then each element's fields.
template <typename Io, typename V, typename F>
void each(Io& io, V& v, std::size_t max, std::size_t min_bytes, const char* what, F&& fields) {
  if constexpr (Io::reading) {
    v.assign(io.count(max, min_bytes, what), {});
  } else {
    io(static_cast<std::uint32_t>(v.size()));
  }
  for (auto& x : v) {
    fields(io, x);
  }
}

template <typename Io, Is<WindowSlot> S>
void fields(Io& io, S& s) {
  io(s.open);
  io.times(s.start_ms);
  io(s.count, s.min, s.max, s.mean, s.m2, s.last);
  io.times(s.last_ms);
}

template <typename Io, Is<WindowClock> S>
void fields(Io& io, S& s) {
  io(s.started);
  io.times(s.max_event_ms, s.closed_until_ms);
}

template <typename Io, Is<SensorState> S>
void fields(Io& io, S& s, const DeviceLimits& l) {
  io.str(s.name, kMaxNameBytes);
  io(s.last_value, s.has_value, s.watched);
  for (auto& slot : s.windows.slots) {
    fields(io, slot);
  }
  // The per-sensor detectors' states, then their latest scores (format version 2 keeps
  // them apart).
  const SensorDetectors& units = l.profile->sensor_detectors;
  units.each(s.detectors,
             [&](const auto& unit, auto& slot, auto) { unit.state_fields(io, slot.state); });
  units.each(s.detectors, [&](const auto&, auto& slot, auto) { score_fields(io, slot.verdict); });
  const DeviceDetectors& device_units = l.profile->device_detectors;
  device_units.each_sensor_part(s.device_detector_parts, [&](const auto& unit, auto& part, auto) {
    unit.sensor_fields(io, part);
  });
  if constexpr (Io::reading) {
    // What the detectors watch follows from the profile and the name, and a detector's
    // state must be one it can go on with (the MAD ring exists exactly when it watches).
    bool parts_fit = true;
    device_units.each_sensor_part(s.device_detector_parts,
                                  [&](const auto& unit, const auto& part, auto) {
                                    parts_fit = parts_fit && unit.sensor_part_fits(part, s.name);
                                  });
    io.check(s.watched == l.profile->sensor_detectors_watching(s.name) && parts_fit,
             "a sensor watched by other detectors than its profile says");
    units.each(s.detectors, [&](const auto& unit, auto& slot, std::size_t k) {
      io.check(state_fits(unit, slot.state, SensorDetectors::watches(s.watched, k)),
               "a detector's state that does not match the profile");
    });
  }
}

template <typename Io, Is<GateState> S>
void fields(Io& io, S& s) {
  io(s.open);
  io.times(s.raised_ms, s.last_emit_ms);
  io(s.reported_ratio, s.quiet);
}

template <typename Io, Is<RuleState> S>
void fields(Io& io, S& s) {
  io(s.active, s.pending);
  io.times(s.since_ms);
}

template <typename Io, Is<OperatingState> S>
void fields(Io& io, S& s) {
  io(s.value, s.known);
  io.times(s.settle_until_ms);
}

template <typename Io, Is<DeviceState> S>
void fields(Io& io, S& d, const DeviceLimits& l) {
  each(io, d.sensors, l.max_sensors, kMinSensorBytes, "the sensors",
       [&](Io& i, auto& s) { fields(i, s, l); });
  const std::size_t sensors = d.sensors.size();
  fields(io, d.clock);
  io.times(d.last_arrival_ms);
  io(d.interval_ms, d.arrivals);
  io.times(d.last_event_ms);
  for (auto& gate : d.gates) {
    fields(io, gate);
  }
  const DeviceDetectors& units = l.profile->device_detectors;
  units.unit_of<MultivariateDetector>().state_fields(
      io, std::get<MultivariateDetector::State>(d.detectors), sensors);
  io(d.samples);
  io.times(d.first_event_ms);
  fields(io, d.operating);
  units.unit_of<AnomalyDetector>().state_fields(io, std::get<AnomalyDetector::State>(d.detectors),
                                                sensors);
  each(io, d.rules, l.rules, 3, "the rules", [](Io& i, auto& r) { fields(i, r); });
  each(io, d.rule_gates, l.rules, 5, "the rule gates", [](Io& i, auto& g) { fields(i, g); });
  io.vec(d.rule_sensors, l.rules);
  io.check(d.rules.size() == l.rules && d.rule_gates.size() == l.rules &&
               d.rule_sensors.size() == l.rules,
           "rules that do not match the profile");
  for (const int index : d.rule_sensors) {
    io.check(index >= -1 && index < static_cast<int>(sensors), "a rule's sensor out of range");
  }
}

template <typename Io, Is<EngineStats> S>
void fields(Io& io, S& s) {
  io(s.samples, s.readings, s.invalid_values, s.late_samples, s.devices_tracked, s.devices_created,
     s.devices_evicted, s.devices_rejected, s.sensors_rejected, s.unknown_profiles, s.aggregates,
     s.alerts_raised, s.alerts_updated, s.alerts_cleared, s.state_bytes, s.state_changes);
}

// The profile's config as bytes, for the fingerprint (never read back).
void config_bytes(Writer& w, const ProfileConfig& p) {
  const auto list = [&](const std::vector<std::string>& names) {
    w(static_cast<std::uint32_t>(names.size()));
    for (const std::string& n : names) {
      w.str(n, 0);
    }
  };
  const auto optional = [&](const std::optional<double>& v) { w(v.has_value(), v.value_or(0.0)); };
  w(p.baseline.samples, p.baseline.freeze, p.baseline.duration_ms);
  w.str(p.operating_state.sensor, 0);
  w(p.operating_state.settle_ms);
  AnomalyDetector::fingerprint(w, p.anomaly);
  SensorDetectors::for_each_type([&](auto unit, auto) {
    using Unit = typename decltype(unit)::type;
    const typename Unit::Config& c = Unit::config_of(p);
    w(c.enabled);
    list(c.sensors);
    Unit::fingerprint(w, c);
  });
  w(p.silence.enabled, p.silence.intervals, p.silence.min_silence_ms, p.silence.warmup);
  MultivariateDetector::fingerprint(w, p.multivariate);
  w(static_cast<std::uint32_t>(p.rules.size()));
  for (const RuleConfig& r : p.rules) {
    w.str(r.name, 0);
    w.str(r.sensor, 0);
    w(static_cast<std::uint8_t>(r.op), r.threshold);
    if (!r.threshold_meta.empty()) {
      // Only then, so that the fingerprints of profiles without one stay as they were.
      w.str(r.threshold_meta, 0);
    }
    optional(r.clear);
    w(r.for_ms);
  }
}

}  // namespace

DeviceLimits device_limits(const CompiledProfile& profile, std::uint32_t max_sensors) {
  DeviceLimits l;
  l.profile = &profile;
  l.max_sensors = max_sensors;
  profile.sensor_detectors.each_unit(
      [&](const auto& unit, auto) { l.sensor_detector_bytes += max_saved_bytes(unit); });
  profile.device_detectors.each_unit([&](const auto& unit, auto) {
    l.device_detector_bytes += unit.max_saved_bytes(max_sensors);
  });
  l.rules = profile.rules.size();
  return l;
}

std::uint64_t max_device_bytes(const DeviceLimits& l) {
  // Generous per part: fixed fields, then what grows with the config.
  constexpr std::uint64_t kFixedDevice = 4096;
  constexpr std::uint64_t kFixedSensor = 2048;
  const std::uint64_t n = l.max_sensors;
  const std::uint64_t per_sensor = kFixedSensor + kMaxNameBytes + l.sensor_detector_bytes;
  return kFixedDevice + 2 * kMaxNameBytes + n * per_sensor + l.device_detector_bytes +
         64ULL * l.rules;
}

void encode_device(Writer& w, const DeviceState& d, const DeviceLimits& limits) {
  fields(w, d, limits);
}

void decode_device(Reader& r, DeviceState& d, const DeviceLimits& limits) {
  fields(r, d, limits);
}

void encode_stats(Writer& w, const EngineStats& s) {
  fields(w, s);
}

void decode_stats(Reader& r, EngineStats& s) {
  fields(r, s);
}

std::uint64_t fingerprint(const ProfileConfig& profile, const AnalyticsConfig& config) {
  Writer w;
  // The engine settings that shape every device's state: the windows, and how many quiet
  // samples clear an episode.
  w(config.window_ms, config.allowed_lateness_ms, config.clear_after_samples);
  config_bytes(w, profile);
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a, 64 bits
  for (const char c : w.bytes()) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  return hash;
}

}  // namespace edgegw::analytics::checkpoint
