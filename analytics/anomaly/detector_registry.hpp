#pragma once
// The detectors the engine runs. A new detector is a unit (sensor_detector.hpp and
// device_detector.hpp say what one provides) and one entry here, plus its name in
// DetectorKind and its section in ProfileConfig. The order is the order of their scores
// in Output::scores, of their alerts within a sample and of their state in a checkpoint
// (a new entry changes the checkpoint: raise checkpoint::kFormatVersion).

#include "anomaly/anomaly_detector.hpp"
#include "anomaly/device_detector.hpp"
#include "anomaly/ewma_detector.hpp"
#include "anomaly/mad_detector.hpp"
#include "anomaly/multivariate_detector.hpp"
#include "anomaly/rate_detector.hpp"
#include "anomaly/sensor_detector.hpp"
#include "anomaly/stuck_detector.hpp"

namespace edgegw::analytics {

// Each scores every value of the sensors it watches.
using SensorDetectors = SensorDetectorList<EwmaDetector, MadDetector, RateDetector, StuckDetector>;
// Each scores the device once per sample, after its readings.
using DeviceDetectors = DeviceDetectorList<MultivariateDetector, AnomalyDetector>;

// Whether a detector's p-values come from a reference distribution, so that they take
// part in Output::p_value (stuck's do not: they are always 1).
inline bool has_reference_distribution(DetectorKind kind) {
  bool calibrated = true;
  SensorDetectors::for_each_type([&](auto unit, auto) {
    using Unit = typename decltype(unit)::type;
    if (Unit::kKind == kind) {
      calibrated = reference_distribution<Unit>();
    }
  });
  return calibrated;
}

}  // namespace edgegw::analytics
