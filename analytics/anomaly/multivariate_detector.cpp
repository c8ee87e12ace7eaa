#include "anomaly/multivariate_detector.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "anomaly/device_state.hpp"

namespace edgegw::analytics {

// A field added to the model must be saved by state_fields() (and the checkpoint's format
// version raised). Checked where pointers are 8 bytes.
static_assert(sizeof(void*) != 8 || sizeof(MultivariateState) == 200,
              "MultivariateState changed: update state_fields()");

void MultivariateDetector::validate(const Config& c, ConfigChecker& check) {
  check.positive("multivariate.half_life", c.half_life);
  check.range("multivariate.warmup", c.warmup, 2, 1e9);
  check.range("multivariate.refresh_every", c.refresh_every, 1, 1e6);
  if (c.shrinkage) {
    check.range("multivariate.shrinkage", *c.shrinkage, 0.0, 0.99);
  }
  check.range("multivariate.pca_variance", c.pca_variance, 0.01, 0.999);
  check.rate("multivariate.false_alarm_rate", c.false_alarm_rate);
  if (c.sensors.size() == 1) {
    check.fail("multivariate.sensors", "needs two or more sensors (or none)");
  }
}

AlertParameters MultivariateDetector::alert_parameters(const Config& c) {
  return {{"half_life", c.half_life},
          {"warmup", c.warmup},
          {"shrinkage", c.shrinkage.value_or(-1.0)},
          {"pca_variance", c.pca_variance},
          {"false_alarm_rate", c.false_alarm_rate}};
}

MultivariateDetector::MultivariateDetector(const ProfileConfig& p, const EngineSettings& settings)
    : config_(p.multivariate),
      operating_state_(p.operating_state.sensor),
      scorer_(config_.half_life, config_.warmup, config_.refresh_every,
              config_.shrinkage.value_or(-1.0), config_.pca_variance, config_.false_alarm_rate,
              settings.max_sensors) {}

void MultivariateDetector::on_sensor_added(State& s,
                                           const std::vector<SensorState>& sensors) const {
  if (!config_.mahalanobis && !config_.pca) {
    return;
  }
  std::vector<int> members;
  if (config_.sensors.empty()) {
    for (std::size_t i = 0; i < sensors.size(); ++i) {
      if (operating_state_.empty() || sensors[i].name != operating_state_) {
        members.push_back(static_cast<int>(i));
      }
    }
  } else {
    for (const std::string& name : config_.sensors) {
      const auto it = std::find_if(sensors.begin(), sensors.end(),
                                   [&](const SensorState& sensor) { return sensor.name == name; });
      if (it == sensors.end()) {
        members.clear();  // not every listed sensor seen yet
        break;
      }
      members.push_back(static_cast<int>(it - sensors.begin()));
    }
  }
  if (members.size() < 2) {
    members.clear();
  }
  if (members == s.sensors) {
    return;
  }
  // A new component restarts the model (and its warm-up): its covariance is unknown.
  s.sensors = std::move(members);
  s.model = MultivariateScorer::make_state(static_cast<int>(s.sensors.size()));
}

void MultivariateDetector::score(State& s, const std::vector<SensorState>& sensors,
                                 const SampleContext& sample, AlertChannel& /*alerts*/,
                                 Output& out) {
  if (s.sensors.empty()) {
    return;
  }
  for (std::size_t i = 0; i < s.sensors.size(); ++i) {
    const SensorState& sensor = sensors[static_cast<std::size_t>(s.sensors[i])];
    if (!sensor.has_value) {
      return;
    }
    s.model.value(static_cast<Eigen::Index>(i)) = sensor.last_value;
  }
  scorer_.score_and_update(s.model, s.mahalanobis, s.pca, sample.learn);
  // One model serves both; a verdict that is not asked for never alerts.
  if (!config_.mahalanobis) {
    s.mahalanobis = Score{};
  }
  if (!config_.pca) {
    s.pca = Score{};
  }
  each_verdict(s, [&](DetectorKind kind, const Score& verdict) {
    if (verdict.ready) {
      out.scores.push_back(ScoreEntry{kind, 0, verdict.ratio, verdict.p_value});
    }
  });
}

void MultivariateDetector::describe(const State& s, DetectorKind kind,
                                    const std::vector<SensorState>& sensors, std::string_view verb,
                                    const GateState& /*gate*/, Alert& a) const {
  const Score& sc = kind == DetectorKind::mahalanobis ? s.mahalanobis : s.pca;
  for (std::size_t i = 0; i < s.sensors.size(); ++i) {
    const SensorState& sensor = sensors[static_cast<std::size_t>(s.sensors[i])];
    const auto e = static_cast<Eigen::Index>(i);
    a.sensors.push_back(
        SensorEvidence{sensor.name, sensor.last_value, s.model.mean(e), s.model.sd(e)});
  }
  a.score = sc.ratio;
  a.statistic = sc.statistic;
  a.threshold = sc.threshold;
  a.p_value = sc.p_value;
  char detail[160];
  std::snprintf(detail, sizeof detail, " over %.0f sensors, statistic %.4g vs threshold %.4g",
                static_cast<double>(s.sensors.size()), sc.statistic, sc.threshold);
  a.message = a.device + ": " + a.source + " alert " + std::string(verb) + detail;
}

std::uint64_t MultivariateDetector::heap_bytes(const State& s) {
  const auto n = static_cast<std::uint64_t>(s.model.value.size());
  return (6 * n + 2 * n * n) * sizeof(double) + s.sensors.capacity() * sizeof(int);
}

std::uint64_t MultivariateDetector::max_saved_bytes(std::uint32_t max_sensors) const {
  const std::uint64_t n = max_sensors;
  return 8 * (6 * n + 2 * n * n) + 4 * n + 64;
}

}  // namespace edgegw::analytics
