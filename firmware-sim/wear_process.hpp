#pragma once
// Bearing wear over a device's lives. Each life lasts a random number of ticks drawn at
// its start, so remaining useful life is known exactly at every step; wear follows
// (age/life)^shape times a random excursion that is pinned to reach 1 at the end of life
// (a Brownian bridge in log space), so the path is random yet always ends in a failure
// on schedule. After a failure the device is under repair for a fixed pause, then a new
// life starts with wear 0.
//
// Owned by one SimDevice; single-threaded.

#include <cstdint>

#include "fleet_config.hpp"
#include "rng.hpp"

namespace edgegw::sim {

enum class WearEvent : std::uint8_t { none, failed, repaired };

class WearProcess {
 public:
  // The first life starts part-way through (uniform in [0, 0.8) of it), so that a fleet
  // does not fail all at once; or, with first_failure_minutes, so far through that it
  // ends in that many minutes.
  WearProcess(const WearConfig& config, std::int64_t interval_ms, Rng rng);

  // Advances one tick. Returns failed on the tick wear reaches 1, repaired on the tick
  // a new life starts.
  WearEvent step();

  [[nodiscard]] bool enabled() const { return config_.enabled; }
  [[nodiscard]] double wear() const { return wear_; }
  [[nodiscard]] bool in_repair() const { return repair_left_ > 0; }
  [[nodiscard]] int life() const { return life_; }
  // Ticks until the next failure; 0 during repair.
  [[nodiscard]] std::int64_t rul_ticks() const;
  [[nodiscard]] std::int64_t repair_ticks() const { return repair_ticks_; }

 private:
  void start_life(double initial_fraction);
  // Ticks already lived in the current life; wear follows from them.
  void set_age(std::int64_t age);

  WearConfig config_;
  Rng rng_;
  std::int64_t ticks_per_hour_ = 3600;
  std::int64_t repair_ticks_ = 0;
  std::int64_t life_ticks_ = 0;
  std::int64_t age_ = 0;
  std::int64_t repair_left_ = 0;
  double bridge_ = 0.0;  // log-space excursion, 0 at both ends of a life
  double wear_ = 0.0;
  int life_ = 0;
};

}  // namespace edgegw::sim
