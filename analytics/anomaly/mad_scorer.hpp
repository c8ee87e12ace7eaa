#pragma once
// Robust z-score of a value against the median and MAD of the last `window` values.
//
// The median and MAD are recomputed every `refresh_every` values (they move slowly and
// cost O(window)); the scorer owns the scratch buffer for that, so it is used by one
// thread at a time (the engine's). Per-sensor state is a MadState owned by the device;
// its ring buffer is allocated once, when the sensor is first seen.

#include <cstdint>
#include <vector>

#include "anomaly/score.hpp"

namespace edgegw::analytics {

struct MadState {
  std::vector<double> ring;  // capacity = window, allocated at creation
  std::uint32_t next = 0;
  std::uint32_t filled = 0;
  std::uint32_t since_refresh = 0;
  double median = 0.0;
  double scale = 0.0;  // 1.4826 * MAD (normal-consistent), floored
};

class MadScorer {
 public:
  MadScorer(std::uint32_t window, std::uint32_t warmup, std::uint32_t refresh_every,
            double false_alarm_rate, double min_std);

  [[nodiscard]] MadState make_state() const;
  [[nodiscard]] std::uint32_t window() const { return window_; }
  // With `learn` false the window keeps the values it holds (median and MAD frozen).
  Score score_and_update(MadState& state, double x, bool learn = true);

 private:
  void refresh(MadState& state);

  std::uint32_t window_;
  std::uint32_t warmup_;
  std::uint32_t refresh_every_;
  double z_threshold_;
  double min_std_;
  std::vector<double> scratch_;
};

}  // namespace edgegw::analytics
