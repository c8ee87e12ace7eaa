#pragma once
// A threshold rule with duration and hysteresis: `temperature > 90 for 30s`, cleared
// when the value is back at 85 or below. Both times are event times of the sensor's
// samples, so the rule behaves the same live and in an offline replay.

#include <cstdint>

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::analytics {

struct RuleState {
  bool active = false;
  bool pending = false;       // condition holds, duration not yet reached
  std::int64_t since_ms = 0;  // when the condition started to hold
};

enum class RuleTransition { none, raise, clear };

class ThresholdRule {
 public:
  explicit ThresholdRule(const RuleConfig& config);

  RuleTransition update(RuleState& state, double value, std::int64_t event_ms) const;

  [[nodiscard]] const RuleConfig& config() const { return config_; }
  [[nodiscard]] double clear_level() const { return clear_; }
  // statistic/threshold in the direction of the rule (>= 1 when over).
  [[nodiscard]] double ratio(double value) const;

 private:
  [[nodiscard]] bool over(double value) const;
  [[nodiscard]] bool cleared(double value) const;

  RuleConfig config_;
  double clear_;
};

}  // namespace edgegw::analytics
