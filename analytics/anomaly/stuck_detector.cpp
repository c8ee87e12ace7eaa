#include "anomaly/stuck_detector.hpp"

namespace edgegw::analytics {

// A field added to the state must be saved by state_fields() (and the checkpoint's format
// version raised). Checked where pointers are 8 bytes.
static_assert(sizeof(void*) != 8 || sizeof(StuckState) == 24,
              "StuckState changed: update state_fields()");

void StuckDetector::validate(const Config& c, ConfigChecker& check) {
  check.range("stuck.min_samples", c.min_samples, 2, 1e9);
  check.range("stuck.tolerance", c.tolerance, 0.0, 1e300);
}

AlertParameters StuckDetector::alert_parameters(const Config& c) {
  return {{"min_samples", c.min_samples},
          {"min_duration_s", static_cast<double>(c.min_duration_ms) / 1000.0},
          {"tolerance", c.tolerance}};
}

StuckDetector::StuckDetector(const Config& c)
    : scorer_(c.min_samples, c.min_duration_ms, c.tolerance) {}

}  // namespace edgegw::analytics
