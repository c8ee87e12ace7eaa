#pragma once
// The detectors the engine runs. A new per-sensor detector is a unit (sensor_detector.hpp
// says what it provides) and one entry here; the order is the order of their scores in
// Output::scores, of their alerts within a sample, and of their state in a checkpoint.

#include "anomaly/ewma_detector.hpp"
#include "anomaly/mad_detector.hpp"
#include "anomaly/rate_detector.hpp"
#include "anomaly/sensor_detector.hpp"
#include "anomaly/stuck_detector.hpp"

namespace edgegw::analytics {

using SensorDetectors = SensorDetectorList<EwmaDetector, MadDetector, RateDetector, StuckDetector>;

}  // namespace edgegw::analytics
