#pragma once
// The multivariate detector (MultivariateConfig) as a device-level unit
// (device_detector.hpp): one model of the device's sensor vector (MultivariateScorer)
// behind two verdicts, the Mahalanobis distance and the PCA residual, each alerting
// under its own name.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "anomaly/config_checker.hpp"
#include "anomaly/device_detector.hpp"
#include "anomaly/multivariate_scorer.hpp"
#include "anomaly/score.hpp"
#include "anomaly/sensor_detector.hpp"
#include "edgegw/analytics/alert.hpp"
#include "edgegw/analytics/engine.hpp"

namespace edgegw::analytics {

struct MultivariateDeviceState {
  // Indices into the device's sensors of the vector's components (empty: not scoring).
  std::vector<int> sensors;
  MultivariateState model;
  Score mahalanobis;  // the latest vector's verdicts
  Score pca;
};

class MultivariateDetector {
 public:
  using Config = MultivariateConfig;
  using State = MultivariateDeviceState;
  static constexpr std::array<DetectorKind, 2> kAlertKinds = {DetectorKind::mahalanobis,
                                                              DetectorKind::pca};
  static constexpr std::array<DetectorKind, 2> kScoreKinds = kAlertKinds;

  static const Config& config_of(const ProfileConfig& p) { return p.multivariate; }
  static void validate(const Config& c, ConfigChecker& check);
  static AlertParameters alert_parameters(const Config& c);
  template <typename W>
  static void fingerprint(W& w, const Config& c) {
    w(c.mahalanobis, c.pca);
    w(static_cast<std::uint32_t>(c.sensors.size()));
    for (const std::string& name : c.sensors) {
      w.str(name, 0);
    }
    w(c.half_life, c.warmup, c.refresh_every);
    w(c.shrinkage.has_value(), c.shrinkage.value_or(0.0));
    w(c.pca_variance, c.false_alarm_rate);
  }

  MultivariateDetector(const ProfileConfig& p, const EngineSettings& settings);

  // Which sensors form the vector: the listed ones once all were seen, else every sensor
  // but the operating state; two at least. A change restarts the model.
  void on_sensor_added(State& s, const std::vector<SensorState>& sensors) const;
  // Scores the vector of the members' latest values (once each has one), then learns it.
  void score(State& s, const std::vector<SensorState>& sensors, const SampleContext& sample,
             AlertChannel& alerts, Output& out);
  // f(kind, verdict) for each of its alert names.
  template <typename F>
  void each_verdict(const State& s, F&& f) const {
    f(DetectorKind::mahalanobis, s.mahalanobis);
    f(DetectorKind::pca, s.pca);
  }
  // Evidence: every member with the model's mean and spread of it.
  void describe(const State& s, DetectorKind kind, const std::vector<SensorState>& sensors,
                std::string_view verb, const GateState& gate, Alert& a) const;

  template <typename Io, typename S>
  void state_fields(Io& io, S& s, std::size_t sensors) const {
    io.vec(s.sensors, sensors);
    for (const int index : s.sensors) {
      io.check(index >= 0 && index < static_cast<int>(sensors),
               "a multivariate sensor out of range");
    }
    model_fields(io, s.model, s.sensors.size());
    score_fields(io, s.mahalanobis);
    score_fields(io, s.pca);
  }
  static std::uint64_t heap_bytes(const State& s);
  [[nodiscard]] std::uint64_t max_saved_bytes(std::uint32_t max_sensors) const;

 private:
  template <typename Io, typename S>
  static void model_fields(Io& io, S& m, std::size_t dimension) {
    const auto d = static_cast<Eigen::Index>(dimension);
    io.vec(m.value, d);
    io.vec(m.mean, d);
    io.mat(m.cov, d);
    io.vec(m.sd, d);
    io.mat(m.basis, d);
    io.vec(m.inv_eigen, d);
    io.vec(m.z, d);
    io.vec(m.proj, d);
    io(m.spe_ref.theta1, m.spe_ref.theta2, m.spe_ref.theta3);
    io(m.shrinkage, m.spe_threshold, m.residual_components, m.n, m.since_refresh, m.model_ready);
    io.check(m.residual_components >= 0 && m.residual_components <= d,
             "more residual components than sensors");
  }

  Config config_;
  std::string operating_state_;  // never a member of the vector
  MultivariateScorer scorer_;
};

}  // namespace edgegw::analytics
