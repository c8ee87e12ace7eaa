#include "anomaly/ewma_detector.hpp"

namespace edgegw::analytics {

// A field added to the state must be saved by state_fields() (and the checkpoint's format
// version raised). Checked where pointers are 8 bytes.
static_assert(sizeof(void*) != 8 || sizeof(EwmaState) == 24,
              "EwmaState changed: update state_fields()");

void EwmaDetector::validate(const Config& c, ConfigChecker& check) {
  check.positive("ewma.half_life", c.half_life);
  check.rate("ewma.false_alarm_rate", c.false_alarm_rate);
  check.positive("ewma.clip", c.clip);
  check.range("ewma.min_std", c.min_std, 0.0, 1e300);
}

AlertParameters EwmaDetector::alert_parameters(const Config& c) {
  return {{"half_life", c.half_life},
          {"warmup", c.warmup},
          {"false_alarm_rate", c.false_alarm_rate},
          {"clip", c.clip},
          {"min_std", c.min_std}};
}

EwmaDetector::EwmaDetector(const Config& c)
    : scorer_(c.half_life, c.warmup, c.false_alarm_rate, c.clip, c.min_std) {}

}  // namespace edgegw::analytics
