#pragma once
// The device-level half of the anomaly detector (AnomalyConfig): from the device's
// fused score per sample to one report per anomalous episode.
//
// A score is reported one sample late, and only when it is a peak: not below the next
// sample's score, above every score of the `horizon` samples before it, outside a
// refractory period, and after the device's `learning` samples. Everything else reports
// 0. A report at or above `threshold` is an alert and starts a refractory period of
// `refractory` samples. So a burst of surprising samples becomes one early report at
// its peak instead of a flicker of raise and clear.

#include <cstdint>
#include <vector>

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::analytics {

struct EpisodeState {
  std::vector<float> recent;  // ring of the fused scores before the previous sample
  std::uint32_t head = 0;
  std::uint64_t count = 0;  // samples seen
  double previous = 0.0;    // the previous sample's fused score: the peak candidate
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

  EpisodeReport on_score(EpisodeState& s, double fused) const;

  [[nodiscard]] double threshold() const { return threshold_; }
  [[nodiscard]] static std::uint64_t bytes(const EpisodeState& s) {
    return s.recent.capacity() * sizeof(float);
  }

 private:
  [[nodiscard]] bool tops_horizon(const EpisodeState& s, double candidate) const;
  void remember(EpisodeState& s, double score) const;

  std::uint32_t learning_;
  std::uint32_t horizon_;
  std::uint32_t refractory_;
  double threshold_;
  std::uint32_t clear_after_;
};

}  // namespace edgegw::analytics
