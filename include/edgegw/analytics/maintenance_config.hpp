#pragma once
// Configuration of predictive maintenance at run time, per device class. Filled by
// gateway/config from the `analytics.maintenance` section; validate() names the key
// that is wrong so that the loader can report file and line.

#include <cstdint>
#include <optional>
#include <string>

namespace edgegw::analytics {

struct MaintenanceConfig {
  std::string device_class;         // which devices use this model (matched by the gateway)
  std::string model_file;           // path of the model JSON (read by gateway/models)
  int cadence_samples = 1;          // predict every N samples of a device
  int min_history = 1;              // no prediction before this many samples
  double horizon = 30.0;            // raise an alert when predicted life < horizon (model unit)
  double clear_margin = 10.0;       // clear when predicted life > horizon + clear_margin
  double update_step = 5.0;         // while open, report again when rul moved by this much
  std::size_t max_devices = 10000;  // state is refused for devices beyond this

  // Empty when valid, else "key: what is wrong".
  [[nodiscard]] std::optional<std::string> validate() const {
    if (cadence_samples < 1)
      return "cadence_samples: must be at least 1";
    if (min_history < 1)
      return "min_history: must be at least 1";
    if (!(horizon > 0.0))
      return "horizon: must be positive";
    if (!(clear_margin >= 0.0))
      return "clear_margin: must not be negative";
    if (!(update_step > 0.0))
      return "update_step: must be positive";
    if (max_devices == 0)
      return "max_devices: must be at least 1";
    return std::nullopt;
  }
};

}  // namespace edgegw::analytics
