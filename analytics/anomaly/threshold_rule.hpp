#pragma once
// A threshold rule with duration and hysteresis: `temperature > 90 for 30s`, cleared
// when the value is back at 85 or below. Both times are event times of the sensor's
// samples, so the rule behaves the same live and in an offline replay.
//
// The threshold is passed per call: the config's number, or the device's own from its
// metadata (`temperature > meta.max_temperature`), which the engine resolves once per
// device with threshold_for().

#include <cstdint>

#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/device_metadata.hpp"

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

  RuleTransition update(RuleState& state, double value, double threshold,
                        std::int64_t event_ms) const;

  [[nodiscard]] const RuleConfig& config() const { return config_; }
  // The device's threshold: the config's number, or the number in the device's metadata
  // column; NaN when the device has none (it has no metadata, or not that column).
  [[nodiscard]] double threshold_for(const DeviceMetadata* metadata) const;
  [[nodiscard]] double clear_level(double threshold) const;
  // statistic/threshold in the direction of the rule (>= 1 when over).
  [[nodiscard]] double ratio(double value, double threshold) const;

 private:
  [[nodiscard]] bool over(double value, double threshold) const;
  [[nodiscard]] bool cleared(double value, double threshold) const;

  RuleConfig config_;
};

}  // namespace edgegw::analytics
