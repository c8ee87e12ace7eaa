#include "anomaly/anomaly_detector.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "anomaly/checkpoint_io.hpp"
#include "anomaly/device_state.hpp"

namespace edgegw::analytics {
namespace {

// A field added to one of these must be saved below (and the checkpoint's format version
// raised). Checked where pointers are 8 bytes.
constexpr bool kLp64 = sizeof(void*) == 8;
static_assert(!kLp64 || sizeof(EwmMoments) == 24, "EwmMoments changed: update its fields");
static_assert(!kLp64 || sizeof(SeasonalMemory) == 48, "SeasonalMemory changed: update its fields");
static_assert(!kLp64 || sizeof(AnomalySensorState) == 312,
              "AnomalySensorState changed: update its fields");
static_assert(!kLp64 || sizeof(EpisodeState) == 88, "EpisodeState changed: update its fields");
static_assert(!kLp64 || sizeof(AnomalyEvidence) == 40,
              "AnomalyEvidence changed: update its fields");

constexpr std::size_t kMaxFirstTimes = 11;    // the scorer's period estimate
constexpr std::size_t kMaxPeriodBins = 4096;  // the scorer's longest period

template <typename Io, typename S>
void moments_fields(Io& io, S& s) {
  io(s.mean, s.var, s.n);
}

template <typename Io, typename S>
void seasonal_fields(Io& io, S& s) {
  io.vec(s.bins, kMaxPeriodBins);
  moments_fields(io, s.change);
}

template <typename Io, typename S>
void evidence_fields(Io& io, S& s, std::size_t sensors) {
  io(s.sensor, s.score, s.value, s.expected, s.scale);
  io.check(s.sensor >= -1 && s.sensor < static_cast<int>(sensors), "evidence of no sensor");
}

}  // namespace

void AnomalyDetector::validate(const Config& c, ConfigChecker& check) {
  check.range("anomaly.window", c.window, 1, 1024);
  check.range("anomaly.memory", c.memory, 1, 100000);
  check.range("anomaly.neighbours", c.neighbours, 1, c.memory);
  check.positive("anomaly.half_life", c.half_life);
  check.range("anomaly.warmup", c.warmup, 2, 1e9);
  check.range("anomaly.learning", c.learning, 0, 1e9);
  check.range("anomaly.horizon", c.horizon, 0, 1e6);
  check.range("anomaly.refractory", c.refractory, 0, 1e9);
  check.range("anomaly.threshold", c.threshold, 0.01, 0.99);
}

AlertParameters AnomalyDetector::alert_parameters(const Config& c) {
  return {{"window", c.window},       {"memory", c.memory},   {"neighbours", c.neighbours},
          {"half_life", c.half_life}, {"horizon", c.horizon}, {"refractory", c.refractory},
          {"threshold", c.threshold}};
}

AnomalyDetector::AnomalyDetector(const ProfileConfig& p, const EngineSettings& settings)
    : config_(p.anomaly),
      operating_state_(p.operating_state.sensor),
      scorer_(config_),
      episodes_(config_, settings.clear_after_samples) {
  // The scorer sizes its ring on the first value: ask it rather than repeat its rule.
  AnomalySensorState probe;
  scorer_.score_and_update(probe, 0.0, 0);
  history_size_ = probe.history.size();
}

bool AnomalyDetector::watches(const std::string& sensor) const {
  return config_.enabled && lists_sensor(config_.sensors, sensor) &&
         (operating_state_.empty() || sensor != operating_state_);
}

void AnomalyDetector::add_sensor(SensorPart& part, const std::string& sensor) const {
  part.watched = watches(sensor);
}

void AnomalyDetector::score(State& s, const std::vector<SensorState>& /*sensors*/,
                            const SampleContext& sample, AlertChannel& alerts, Output& out) const {
  if (s.top.sensor < 0 && s.episode.count == 0) {
    return;  // no sensor of this device is watched
  }
  const EpisodeReport report = episodes_.on_score(s.episode, s.top.score, s.top.sensor);
  const AnomalyEvidence peak = s.peak;
  s.peak = s.top;
  s.top = AnomalyEvidence{};
  if (sample.quiet) {
    return;
  }
  out.anomaly_score = report.score;
  const double ratio = report.score / episodes_.threshold();
  const GateEvent event =
      alerts.on_condition(DetectorKind::anomaly, report.alert, report.settled, ratio);
  if (event != GateEvent::none) {
    if (event != GateEvent::clear) {
      s.evidence = peak;  // a clear names what the alert was about
    }
    alerts.emit(DetectorKind::anomaly, event);
  }
}

void AnomalyDetector::describe(const State& s, DetectorKind /*kind*/,
                               const std::vector<SensorState>& sensors, std::string_view verb,
                               const GateState& gate, Alert& a) const {
  a.threshold = episodes_.threshold();
  a.score = gate.reported_ratio;
  a.statistic = gate.reported_ratio * a.threshold;
  a.window_ms = a.event_ms - a.raised_ms;
  std::string about = "the device";
  const AnomalyEvidence& e = s.evidence;
  if (e.sensor >= 0 && static_cast<std::size_t>(e.sensor) < sensors.size()) {
    about = sensors[static_cast<std::size_t>(e.sensor)].name;
    a.sensors.push_back(SensorEvidence{about, e.value, e.expected, e.scale});
  }
  char detail[160];
  std::snprintf(detail, sizeof detail, ", episode score %.3g vs threshold %.3g, open %.0f s",
                a.statistic, a.threshold, static_cast<double>(a.window_ms) / 1000.0);
  a.message = a.device + ": anomaly alert " + std::string(verb) + " on " + about + detail;
}

template <typename Io, typename P>
void AnomalyDetector::sensor_part_fields(Io& io, P& part) const {
  io(part.watched);
  auto& s = part.state;
  io.vec(s.history, history_size_);
  // The kNN distances derive from the history, but are saved: recomputed, they would
  // round differently from the slid ones, and a restored gateway would drift from the
  // one it continues.
  io.vec(s.distances, config_.memory);
  io(s.origin, s.head, s.count, s.min, s.max);
  io.vec(s.first_times, kMaxFirstTimes);
  for (const std::int64_t t : s.first_times) {
    io.check(checkpoint::plausible_time(t), "a time beyond any clock");
  }
  seasonal_fields(io, s.daily);
  seasonal_fields(io, s.weekly);
  io(s.baseline);
  moments_fields(io, s.shape);
  moments_fields(io, s.spike);
  moments_fields(io, s.level);
  io(s.score, s.expected, s.scale);
  io.check(s.history.empty()
               ? s.count == 0 && s.head == 0
               : s.history.size() == history_size_ && s.head < history_size_ && s.count > 0,
           "an anomaly history of another size");
  io.check(s.distances.size() == (s.history.empty() ? 0 : config_.memory) &&
               std::all_of(s.distances.begin(), s.distances.end(),
                           [](float d) { return std::isfinite(d) && d >= 0.0F; }),
           "kNN distances that do not fit the history");
}

template <typename Io, typename S>
void AnomalyDetector::device_fields(Io& io, S& s, std::size_t sensors) const {
  const std::uint32_t horizon = config_.horizon;
  io.vec(s.episode.recent, horizon);
  io.vec(s.episode.recent_sensors, horizon);
  io(s.episode.head, s.episode.count, s.episode.previous, s.episode.previous_sensor,
     s.episode.refractory_left, s.episode.quiet);
  io.check((s.episode.recent.empty() || s.episode.recent.size() == horizon) &&
               s.episode.recent_sensors.size() == s.episode.recent.size() &&
               (horizon == 0 || s.episode.head < horizon),
           "an episode ring of another horizon");
  const auto sensor_or_none = [sensors](std::int16_t i) {
    return i >= -1 && i < static_cast<int>(sensors);
  };
  io.check(sensor_or_none(s.episode.previous_sensor) &&
               std::all_of(s.episode.recent_sensors.begin(), s.episode.recent_sensors.end(),
                           sensor_or_none),
           "an episode led by no sensor");
  evidence_fields(io, s.top, sensors);
  evidence_fields(io, s.peak, sensors);
  evidence_fields(io, s.evidence, sensors);
}

void AnomalyDetector::sensor_fields(checkpoint::Writer& w, const SensorPart& part) const {
  sensor_part_fields(w, part);
}
void AnomalyDetector::sensor_fields(checkpoint::Reader& r, SensorPart& part) const {
  sensor_part_fields(r, part);
}
void AnomalyDetector::state_fields(checkpoint::Writer& w, const State& s,
                                   std::size_t sensors) const {
  device_fields(w, s, sensors);
}
void AnomalyDetector::state_fields(checkpoint::Reader& r, State& s, std::size_t sensors) const {
  device_fields(r, s, sensors);
}

std::uint64_t AnomalyDetector::max_saved_bytes(std::uint32_t max_sensors) const {
  // Floats: the history, the distances and two seasonal memories; the first times and
  // the origin as 8 bytes each.
  const std::uint64_t floats = history_size_ + config_.memory + 2 * kMaxPeriodBins;
  const std::uint64_t per_sensor = 4 * floats + 8 * (kMaxFirstTimes + 1);
  return max_sensors * per_sensor + 6ULL * config_.horizon;  // a float and a sensor each
}

}  // namespace edgegw::analytics
