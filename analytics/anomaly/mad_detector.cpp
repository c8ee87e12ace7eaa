#include "anomaly/mad_detector.hpp"

namespace edgegw::analytics {

// A field added to the state must be saved by state_fields() (and the checkpoint's format
// version raised). Checked where pointers are 8 bytes.
static_assert(sizeof(void*) != 8 || sizeof(MadState) == 56,
              "MadState changed: update state_fields()");

void MadDetector::validate(const Config& c, ConfigChecker& check) {
  check.range("mad.window", c.window, 3, 100000);
  check.range("mad.warmup", c.warmup, 3, c.window);
  check.range("mad.refresh_every", c.refresh_every, 1, c.window);
  check.rate("mad.false_alarm_rate", c.false_alarm_rate);
}

AlertParameters MadDetector::alert_parameters(const Config& c) {
  return {{"window", c.window},
          {"warmup", c.warmup},
          {"false_alarm_rate", c.false_alarm_rate},
          {"min_std", c.min_std}};
}

MadDetector::MadDetector(const Config& c)
    : scorer_(c.window, c.warmup, c.refresh_every, c.false_alarm_rate, c.min_std) {}

}  // namespace edgegw::analytics
