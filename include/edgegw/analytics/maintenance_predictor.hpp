#pragma once
// The run-time face of predictive maintenance: one RulPredictor per device class (one
// loaded model), fed every Sample of its devices. It keeps each device's recent history
// in a fixed-size window, predicts remaining life on a cadence, and turns predictions
// into maintenance alerts with a lifecycle.
//
// Thread: called from one thread (the ingest thread); not thread-safe.
// Ownership: shares the immutable model; owns every device's state, created on the
// device's first sample (up to max_devices) and kept until reset_device(), idle
// eviction or destruction.
// Memory: bytes_per_device() per device, fixed when the state is created; no allocation
// per sample afterwards (a Prediction's strings are allocated only when one is emitted).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "edgegw/analytics/maintenance_config.hpp"
#include "edgegw/analytics/maintenance_estimator.hpp"
#include "edgegw/analytics/maintenance_model.hpp"
#include "edgegw/analytics/maintenance_prediction.hpp"
#include "edgegw/device_table.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::analytics {

class DeviceRulState;  // analytics/maintenance/device_rul_state.hpp
class RulEvaluator;    // analytics/maintenance/rul_evaluator.hpp

class RulPredictor final : public MaintenanceEstimator {
 public:
  // Throws std::invalid_argument when the config is invalid or the model inconsistent.
  RulPredictor(std::shared_ptr<const RulModel> model, MaintenanceConfig config);
  ~RulPredictor() override;
  RulPredictor(RulPredictor&&) noexcept;
  RulPredictor& operator=(RulPredictor&&) noexcept;

  // Feeds one sample. Readings of sensors the model does not use are ignored; NaN or
  // missing readings keep the sensor's last value. A sample with none of the model's
  // sensors does not advance the window.
  MaintenanceUpdate observe(const Sample& sample, std::int64_t now_ms) override;
  void evict_idle(std::int64_t now_ms) override;
  [[nodiscard]] std::string name() const override { return model_->name; }

  // Forgets a device (after maintenance the history no longer describes it); an open
  // alert is cleared by the next prediction of the new history.
  void reset_device(const std::string& device);

  [[nodiscard]] std::size_t device_count() const override { return devices_.size(); }
  [[nodiscard]] const DeviceTableCounters& device_counters() const override {
    return devices_.counters();
  }
  [[nodiscard]] std::size_t bytes_per_device() const;
  [[nodiscard]] std::uint64_t devices_refused() const { return devices_.counters().refused; }
  [[nodiscard]] const RulModel& model() const { return *model_; }

 private:
  std::shared_ptr<const RulModel> model_;
  MaintenanceConfig config_;
  std::unique_ptr<RulEvaluator> evaluator_;             // compiled weights and scratch, shared
  std::unordered_map<std::string, int> sensor_index_;   // model sensor → column
  std::unordered_map<std::string, int> setting_index_;  // operating setting → column
  DeviceTable<std::unique_ptr<DeviceRulState>> devices_;
};

}  // namespace edgegw::analytics
