#include "anomaly/episode_stage.hpp"

#include <algorithm>

#include "anomaly/alert_gate.hpp"

namespace edgegw::analytics {

EpisodeStage::EpisodeStage(const AnomalyConfig& c, std::uint32_t clear_after_samples)
    : learning_(c.learning),
      horizon_(c.horizon),
      refractory_(c.refractory),
      threshold_(c.threshold),
      clear_after_(std::max<std::uint32_t>(clear_after_samples, 1)) {}

bool EpisodeStage::tops_horizon(const EpisodeState& s, double candidate, std::int16_t sensor) {
  // Slots not yet written hold 0, which never tops a reported (positive) candidate. A
  // higher score another sensor led is another anomaly's: it does not hide this one.
  for (std::size_t i = 0; i < s.recent.size(); ++i) {
    if (s.recent[i] >= candidate && s.recent_sensors[i] == sensor) {
      return false;
    }
  }
  return true;
}

void EpisodeStage::remember(EpisodeState& s, double score, std::int16_t sensor) const {
  if (horizon_ == 0) {
    return;
  }
  if (s.recent.empty()) {
    s.recent.assign(horizon_, 0.0F);
    s.recent_sensors.assign(horizon_, -1);
  }
  s.recent[s.head] = static_cast<float>(score);
  s.recent_sensors[s.head] = sensor;
  s.head = (s.head + 1) % horizon_;
}

EpisodeReport EpisodeStage::on_score(EpisodeState& s, double fused, int sensor) const {
  EpisodeReport report;
  ++s.count;
  const double candidate = s.previous;
  const bool refractory = s.refractory_left > 0;
  if (refractory) {
    --s.refractory_left;
  }
  // The candidate is compared as stored (float), so that it never beats itself.
  const double stored = static_cast<float>(candidate);
  if (s.count > std::max<std::uint64_t>(learning_, 1) && !refractory && candidate > 0.0 &&
      candidate >= fused && tops_horizon(s, stored, s.previous_sensor)) {
    report.score = candidate;
    if (candidate >= threshold_) {
      report.alert = true;
      s.refractory_left = refractory_;
    }
  }
  if (s.count > 1) {
    remember(s, candidate, s.previous_sensor);
  }
  s.previous = fused;
  s.previous_sensor = static_cast<std::int16_t>(sensor);  // a device has at most 256
  s.quiet = fused < kClearRatio * threshold_ ? s.quiet + 1 : 0;
  // The alert follows the device's state; the refractory period only holds off the next.
  report.settled = s.quiet >= clear_after_;
  return report;
}

}  // namespace edgegw::analytics
