#pragma once
// The device-level half of the anomaly detector (AnomalyConfig): from the device's
// fused score per sample to one report per anomalous episode.
//
// A score is reported one sample late, and only when it is a peak: not below the next
// sample's score, above every score the same sensor led among the `horizon` samples
// before it, outside a refractory period, and after the device's `learning` samples.
// Everything else reports 0. A report at or above `threshold` is an alert and starts a
// refractory period of `refractory` samples. So a burst of surprising samples becomes one
// early report at its peak instead of a flicker of raise and clear, while a jump of
// another sensor a little later, smaller than the first, is news and is reported.

#include <cstdint>
#include <vector>

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::analytics {

struct EpisodeState {
  std::vector<float> recent;                 // ring of the fused scores before the previous sample
  std::vector<std::int16_t> recent_sensors;  // ... and the sensor that led each (-1: none)
  std::uint32_t head = 0;
  std::uint64_t count = 0;            // samples seen
  double previous = 0.0;              // the previous sample's fused score: the peak candidate
  std::int16_t previous_sensor = -1;  // ... and the sensor that led it
  std::uint32_t refractory_left = 0;
  std::uint32_t quiet = 0;  // consecutive samples below the clear level
};

struct EpisodeReport {
  double score = 0.0;    // the reported score (0 unless a peak is reported)
  bool alert = false;    // score >= threshold: raise
  bool settled = false;  // quiet long enough: an open alert clears
};

class EpisodeStage {
 public:
  EpisodeStage(const AnomalyConfig& config, std::uint32_t clear_after_samples);

  // `sensor`: the index of the device's sensor whose score is `fused` (its highest), or
  // -1 when none scored.
  EpisodeReport on_score(EpisodeState& s, double fused, int sensor) const;

  [[nodiscard]] double threshold() const { return threshold_; }
  [[nodiscard]] static std::uint64_t bytes(const EpisodeState& s) {
    return s.recent.capacity() * sizeof(float) + s.recent_sensors.capacity() * sizeof(std::int16_t);
  }

 private:
  [[nodiscard]] static bool tops_horizon(const EpisodeState& s, double candidate,
                                         std::int16_t sensor);
  void remember(EpisodeState& s, double score, std::int16_t sensor) const;

  std::uint32_t learning_;
  std::uint32_t horizon_;
  std::uint32_t refractory_;
  double threshold_;
  std::uint32_t clear_after_;
};

}  // namespace edgegw::analytics
