#pragma once
// The anomaly detector (AnomalyConfig) as a device-level unit (device_detector.hpp): per
// sensor, the fused score of its channels (AnomalyScorer); per device, the most
// surprised sensor's score turned into one report per episode (EpisodeStage), which
// raises, updates and clears the `anomaly` alert itself rather than per sample.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "anomaly/alert_gate.hpp"
#include "anomaly/anomaly_scorer.hpp"
#include "anomaly/config_checker.hpp"
#include "anomaly/device_detector.hpp"
#include "anomaly/episode_stage.hpp"
#include "anomaly/score.hpp"
#include "anomaly/sensor_detector.hpp"
#include "edgegw/analytics/alert.hpp"
#include "edgegw/analytics/engine.hpp"

namespace edgegw::analytics {

// Which sensor scored highest in a sample, with what it showed then. An index, not a
// name, so that keeping it costs no allocation per sample.
struct AnomalyEvidence {
  int sensor = -1;
  double score = 0.0;
  double value = 0.0;
  double expected = 0.0;
  double scale = 0.0;
};

struct AnomalySensorPart {
  bool watched = false;
  AnomalySensorState state;
};

struct AnomalyDeviceState {
  EpisodeState episode;
  AnomalyEvidence top;       // the latest sample's most surprised sensor
  AnomalyEvidence peak;      // the sample before's: the one a report is about
  AnomalyEvidence evidence;  // the open alert's peak
};

class AnomalyDetector {
 public:
  using Config = AnomalyConfig;
  using State = AnomalyDeviceState;
  using SensorPart = AnomalySensorPart;
  static constexpr std::array<DetectorKind, 1> kAlertKinds = {DetectorKind::anomaly};
  // Its score is Output::anomaly_score, not an entry of Output::scores.
  static constexpr std::array<DetectorKind, 0> kScoreKinds = {};

  static const Config& config_of(const ProfileConfig& p) { return p.anomaly; }
  static void validate(const Config& c, ConfigChecker& check);
  static AlertParameters alert_parameters(const Config& c);
  template <typename W>
  static void fingerprint(W& w, const Config& c) {
    w(c.enabled);
    w(static_cast<std::uint32_t>(c.sensors.size()));
    for (const std::string& name : c.sensors) {
      w.str(name, 0);
    }
    w(c.window, c.memory, c.neighbours, c.half_life, c.warmup, c.seasonality, c.learning, c.horizon,
      c.refractory, c.threshold);
  }

  AnomalyDetector(const ProfileConfig& p, const EngineSettings& settings);

  // Whether it watches `sensor`: enabled, listed, and not the operating state.
  [[nodiscard]] bool watches(const std::string& sensor) const;
  void add_sensor(SensorPart& part, const std::string& sensor) const;
  void on_sensor_added(State& /*s*/, const std::vector<SensorState>& /*sensors*/) const {}
  // Scores a reading of a watched sensor and keeps the device's most surprised one.
  void on_reading(State& s, SensorPart& part, int sensor, double value, std::int64_t event_ms,
                  bool learn) const {
    if (!part.watched) {
      return;
    }
    const double score = scorer_.score_and_update(part.state, value, event_ms, learn);
    if (s.top.sensor < 0 || score > s.top.score) {
      s.top = AnomalyEvidence{sensor, score, value, part.state.expected, part.state.scale};
    }
  }
  // The device's score is its most surprised sensor's: reports its episode, and raises,
  // updates or clears the alert (nothing while the sample is quiet).
  void score(State& s, const std::vector<SensorState>& sensors, const SampleContext& sample,
             AlertChannel& alerts, Output& out) const;
  template <typename F>
  void each_verdict(const State& /*s*/, F&& /*f*/) const {}  // it gates its own alert
  void describe(const State& s, DetectorKind kind, const std::vector<SensorState>& sensors,
                std::string_view verb, const GateState& gate, Alert& a) const;

  // Checkpoint: a sensor's part, and the device's state (checkpoint_io.hpp).
  void sensor_fields(checkpoint::Writer& w, const SensorPart& part) const;
  void sensor_fields(checkpoint::Reader& r, SensorPart& part) const;
  void state_fields(checkpoint::Writer& w, const State& s, std::size_t sensors) const;
  void state_fields(checkpoint::Reader& r, State& s, std::size_t sensors) const;
  [[nodiscard]] bool sensor_part_fits(const SensorPart& part, const std::string& sensor) const {
    return part.watched == watches(sensor);
  }
  static std::uint64_t sensor_heap_bytes(const SensorPart& part) {
    return AnomalyScorer::bytes(part.state);
  }
  static std::uint64_t heap_bytes(const State& s) { return EpisodeStage::bytes(s.episode); }
  [[nodiscard]] std::uint64_t max_saved_bytes(std::uint32_t max_sensors) const;

 private:
  template <typename Io, typename P>
  void sensor_part_fields(Io& io, P& part) const;
  template <typename Io, typename S>
  void device_fields(Io& io, S& s, std::size_t sensors) const;

  Config config_;
  std::string operating_state_;  // watched by rules only
  AnomalyScorer scorer_;
  EpisodeStage episodes_;
  std::size_t history_size_ = 0;  // the scorer's ring of past values, once it has one
};

}  // namespace edgegw::analytics
