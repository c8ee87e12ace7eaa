#pragma once
// What predictive maintenance tells the rest of the gateway: a remaining-life estimate
// for one device, and a maintenance alert when that estimate falls inside the horizon
// the operator asked to be warned about.

#include <cstdint>
#include <string>

namespace edgegw::analytics {

// One remaining-useful-life estimate. The band [rul_lower, rul_upper] is about a 90%
// interval (from validation residuals for a trained model, from the slope's confidence
// interval for a trend).
struct Prediction {
  std::string device;
  std::int64_t timestamp_ms = 0;  // event time of the newest sample in the features
  double rul = 0.0;
  double rul_lower = 0.0;
  double rul_upper = 0.0;
  std::string unit;  // of rul: "cycles", "hours", ... as the model or trend declares
  std::string model_name;
  std::string model_version;
  std::int64_t samples_seen = 0;  // history behind the estimate (short history: less sure)
};

}  // namespace edgegw::analytics
