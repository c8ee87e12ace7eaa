#pragma once
// Remaining life without training: per device, a robust trend (Theil–Sen, linear or
// exponential) of one health indicator, extrapolated to its failure level. The history
// is one point per `trend.spacing` of event time (the mean of the indicator's samples
// in it), the newest `trend.points` of them; each closed point is a prediction step
// (every `cadence_samples` points, once `min_history` points exist, at least 5).
// Predictions and alerts follow the same lifecycle as a trained model's.
//
// Thread: one caller (the ingest thread). Memory: 16 bytes per point per device, fixed
// when the device is first seen; no allocation per sample afterwards except a
// Prediction's strings when one is emitted.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edgegw/analytics/maintenance_config.hpp"
#include "edgegw/analytics/maintenance_estimator.hpp"
#include "edgegw/analytics/maintenance_trend.hpp"
#include "edgegw/device_table.hpp"

namespace edgegw::analytics {

class TrendPredictor final : public MaintenanceEstimator {
 public:
  // Throws std::invalid_argument naming the key when `config.trend` is missing or invalid.
  explicit TrendPredictor(MaintenanceConfig config);
  ~TrendPredictor() override;
  TrendPredictor(TrendPredictor&&) noexcept;
  TrendPredictor& operator=(TrendPredictor&&) noexcept;

  // Samples without a finite indicator reading, or older than the device's current
  // point (out of order), are ignored.
  MaintenanceUpdate observe(const Sample& sample, std::int64_t now_ms) override;
  void evict_idle(std::int64_t now_ms) override;
  [[nodiscard]] std::string name() const override { return name_; }
  [[nodiscard]] std::size_t device_count() const override { return devices_.size(); }
  [[nodiscard]] const DeviceTableCounters& device_counters() const override {
    return devices_.counters();
  }
  [[nodiscard]] std::uint64_t devices_refused() const { return devices_.counters().refused; }

 private:
  struct DeviceTrend;

  std::optional<Prediction> close_point(DeviceTrend& d, const std::string& device);

  MaintenanceConfig config_;
  TrendEstimatorConfig trend_;
  std::string name_;
  TrendFitter fitter_;
  std::vector<double> t_;  // scratch for a fit, in trend_.unit before the newest point
  std::vector<double> y_;
  DeviceTable<std::unique_ptr<DeviceTrend>> devices_;
};

}  // namespace edgegw::analytics
