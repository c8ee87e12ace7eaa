#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "edgegw/analytics/maintenance_trend_predictor.hpp"
#include "maintenance/maintenance_alert_gate.hpp"

namespace edgegw::analytics {

// One device's history: a ring of closed points and the point being filled.
struct TrendPredictor::DeviceTrend {
  explicit DeviceTrend(std::size_t capacity) : point_ms(capacity), value(capacity) {}

  std::vector<std::int64_t> point_ms;  // mid-time of each closed point
  std::vector<double> value;           // mean indicator value over it
  std::size_t next = 0;                // ring position of the next closed point
  std::size_t count = 0;               // closed points held (≤ capacity)
  std::int64_t open_index = std::numeric_limits<std::int64_t>::min();  // spacing index
  double open_sum = 0.0;
  int open_samples = 0;
  int since_prediction = 0;
  MaintenanceAlertGate alert;
};

namespace {

// The config, once checked: throws std::invalid_argument naming the key that is wrong.
MaintenanceConfig checked(MaintenanceConfig config) {
  if (!config.trend) {
    throw std::invalid_argument("maintenance.trend: missing");
  }
  if (const auto why = config.validate()) {
    throw std::invalid_argument("maintenance." + *why);
  }
  return config;
}

// The trend's settings with min_history applied: it counts points here, at least 5 for a
// slope worth trusting, at most what the history holds.
TrendEstimatorConfig trend_settings(const MaintenanceConfig& config) {
  TrendEstimatorConfig trend = *config.trend;
  trend.fit.min_points = std::clamp<std::size_t>(static_cast<std::size_t>(config.min_history), 5,
                                                 static_cast<std::size_t>(trend.points));
  return trend;
}

}  // namespace

TrendPredictor::TrendPredictor(MaintenanceConfig config)
    : config_(checked(std::move(config))),
      trend_(trend_settings(config_)),
      name_(trend_.name.empty() ? "trend-" + trend_.indicator : trend_.name),
      fitter_(static_cast<std::size_t>(trend_.points)),
      t_(static_cast<std::size_t>(trend_.points)),
      y_(static_cast<std::size_t>(trend_.points)),
      devices_(DeviceTableLimits{config_.max_devices, config_.idle_eviction_ms}) {}

TrendPredictor::~TrendPredictor() = default;
TrendPredictor::TrendPredictor(TrendPredictor&&) noexcept = default;
TrendPredictor& TrendPredictor::operator=(TrendPredictor&&) noexcept = default;

// Here, not in the header: erasing a state needs its complete type.
void TrendPredictor::evict_idle(std::int64_t now_ms) {
  devices_.evict_idle(now_ms);
}

MaintenanceUpdate TrendPredictor::observe(const Sample& sample, std::int64_t now_ms) {
  MaintenanceUpdate update;
  const Reading* reading = nullptr;
  for (const Reading& r : sample.readings) {
    if (r.sensor == trend_.indicator && std::isfinite(r.value)) {
      reading = &r;
    }
  }
  if (reading == nullptr) {
    return update;
  }
  std::unique_ptr<DeviceTrend>* state = devices_.find_or_admit(
      sample.device, now_ms, [this](const std::string&, std::unique_ptr<DeviceTrend>& s) {
        s = std::make_unique<DeviceTrend>(static_cast<std::size_t>(trend_.points));
      });
  if (state == nullptr) {
    return update;  // max_devices reached: counted by the table
  }
  DeviceTrend& d = **state;
  const std::int64_t index = sample.timestamp_ms >= 0
                                 ? sample.timestamp_ms / trend_.spacing_ms
                                 : (sample.timestamp_ms + 1) / trend_.spacing_ms - 1;
  if (index < d.open_index) {
    return update;  // older than the point being filled: the history is closed there
  }
  if (index > d.open_index && d.open_samples > 0) {
    if (std::optional<Prediction> p = close_point(d, sample.device)) {
      const std::int64_t span = static_cast<std::int64_t>(d.count) * trend_.spacing_ms;
      update.alert = d.alert.update(*p, config_, span);
      if (std::isfinite(p->rul)) {
        update.prediction = std::move(p);
      }
    }
  }
  if (index > d.open_index) {
    d.open_index = index;
    d.open_sum = 0.0;
    d.open_samples = 0;
  }
  d.open_sum += reading->value;
  ++d.open_samples;
  return update;
}

// Moves the filled point into the history and, when due, fits the trend. A trend that
// never reaches the threshold (flat, or moving away from it: a healthy or repaired
// device) gives an infinite life, which clears an open alert but is not reported.
std::optional<Prediction> TrendPredictor::close_point(DeviceTrend& d, const std::string& device) {
  const std::size_t capacity = d.value.size();
  const std::int64_t mid_ms = d.open_index * trend_.spacing_ms + trend_.spacing_ms / 2;
  d.point_ms[d.next] = mid_ms;
  d.value[d.next] = d.open_sum / d.open_samples;
  d.next = (d.next + 1) % capacity;
  d.count = std::min(d.count + 1, capacity);
  if (d.count < trend_.fit.min_points || ++d.since_prediction < config_.cadence_samples) {
    return std::nullopt;
  }
  d.since_prediction = 0;
  // Oldest first, times in the trend's unit before the newest point (which is at 0), so
  // that the fit's time to threshold counts from the newest point.
  const double unit_ms = trend_.unit_ms();
  for (std::size_t k = 0; k < d.count; ++k) {
    const std::size_t i = (d.next + capacity - d.count + k) % capacity;
    t_[k] = static_cast<double>(d.point_ms[i] - mid_ms) / unit_ms;
    y_[k] = d.value[i];
  }
  const TrendEstimate e = fitter_.fit(t_.data(), y_.data(), d.count, trend_.fit);
  Prediction p;
  p.device = device;
  p.timestamp_ms = mid_ms;
  p.rul = p.rul_lower = p.rul_upper = std::numeric_limits<double>::infinity();
  if (e.valid) {
    p.rul = e.time_to_threshold;
    p.rul_lower = e.lower;
    p.rul_upper = e.upper;
  }
  p.unit = trend_.unit;
  p.model_name = name_;
  p.model_version = trend_.fit.shape == TrendShape::kExponential ? "exponential" : "linear";
  p.samples_seen = static_cast<std::int64_t>(d.count);
  return p;
}

}  // namespace edgegw::analytics
