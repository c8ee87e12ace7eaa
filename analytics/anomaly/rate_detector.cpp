#include "anomaly/rate_detector.hpp"

namespace edgegw::analytics {

// A field added to the state must be saved by state_fields() (and the checkpoint's format
// version raised). Checked where pointers are 8 bytes.
static_assert(sizeof(void*) != 8 || sizeof(RateState) == 48,
              "RateState changed: update state_fields()");

void RateDetector::validate(const Config& c, ConfigChecker& check) {
  check.positive("rate.half_life", c.half_life);
  check.rate("rate.false_alarm_rate", c.false_alarm_rate);
  if (c.max_rate) {
    check.positive("rate.max_rate", *c.max_rate);
  }
}

AlertParameters RateDetector::alert_parameters(const Config& c) {
  return {{"half_life", c.half_life},
          {"warmup", c.warmup},
          {"false_alarm_rate", c.false_alarm_rate},
          {"max_rate", c.max_rate.value_or(0.0)}};
}

RateDetector::RateDetector(const Config& c)
    : scorer_(c.half_life, c.warmup, c.false_alarm_rate, c.min_std, c.max_rate) {}

}  // namespace edgegw::analytics
