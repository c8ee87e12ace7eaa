#include <cmath>
#include <limits>
#include <stdexcept>

#include "edgegw/analytics/maintenance_predictor.hpp"
#include "maintenance/device_rul_state.hpp"
#include "maintenance/rul_evaluator.hpp"

namespace edgegw::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

RulPredictor::RulPredictor(std::shared_ptr<const RulModel> model, MaintenanceConfig config)
    : model_(std::move(model)),
      config_(std::move(config)),
      devices_(DeviceTableLimits{config_.max_devices, config_.idle_eviction_ms}) {
  if (!model_)
    throw std::invalid_argument("maintenance: no model");
  if (const auto why = config_.validate())
    throw std::invalid_argument("maintenance." + *why);
  if (const std::string why = check_model(*model_); !why.empty()) {
    throw std::invalid_argument(why);
  }
  evaluator_ = std::make_unique<RulEvaluator>(*model_);
  const FeatureSpec& spec = model_->features;
  for (std::size_t i = 0; i < spec.sensors.size(); ++i) {
    sensor_index_.emplace(spec.sensors[i], static_cast<int>(i));
  }
  for (std::size_t i = 0; i < spec.regimes.settings.size(); ++i) {
    setting_index_.emplace(spec.regimes.settings[i], static_cast<int>(i));
  }
}

RulPredictor::~RulPredictor() = default;
RulPredictor::RulPredictor(RulPredictor&&) noexcept = default;
RulPredictor& RulPredictor::operator=(RulPredictor&&) noexcept = default;

std::size_t RulPredictor::bytes_per_device() const {
  // One state's footprint plus the map node and the key (device names are short).
  return DeviceRulState(model_->features).bytes() + 64;
}

// Here, not in the header: erasing a state needs its complete type.
void RulPredictor::evict_idle(std::int64_t now_ms) {
  devices_.evict_idle(now_ms);
}

void RulPredictor::reset_device(const std::string& device) {
  devices_.erase(device);
}

MaintenanceUpdate RulPredictor::observe(const Sample& sample, std::int64_t now_ms) {
  MaintenanceUpdate update;
  std::unique_ptr<DeviceRulState>* state = devices_.find_or_admit(
      sample.device, now_ms, [this](const std::string&, std::unique_ptr<DeviceRulState>& s) {
        s = std::make_unique<DeviceRulState>(model_->features);
      });
  if (state == nullptr) {
    return update;  // max_devices reached: counted by the table
  }
  DeviceRulState& d = **state;
  std::fill(d.sensors.begin(), d.sensors.end(), kNaN);
  std::fill(d.settings.begin(), d.settings.end(), kNaN);
  bool any = false;
  for (const Reading& r : sample.readings) {
    if (auto s = sensor_index_.find(r.sensor); s != sensor_index_.end()) {
      d.sensors[static_cast<std::size_t>(s->second)] = r.value;
      any = any || std::isfinite(r.value);
    }
    if (auto s = setting_index_.find(r.sensor); s != setting_index_.end()) {
      d.settings[static_cast<std::size_t>(s->second)] = r.value;
    }
  }
  if (!any)
    return update;
  d.push(sample.timestamp_ms);
  if (d.window.count() < config_.min_history || ++d.since_prediction < config_.cadence_samples) {
    return update;
  }
  d.since_prediction = 0;
  d.window.features(d.features);
  const RulEvaluator::Output o = evaluator_->predict(d.features);
  Prediction p;
  p.device = sample.device;
  p.timestamp_ms = sample.timestamp_ms;
  p.rul = o.rul;
  p.rul_lower = o.lower;
  p.rul_upper = o.upper;
  p.unit = model_->unit;
  p.model_name = model_->name;
  p.model_version = model_->version;
  p.samples_seen = d.window.count();

  update.alert = d.alert.update(p, config_, d.window_span_ms(sample.timestamp_ms));
  update.prediction = std::move(p);
  return update;
}

}  // namespace edgegw::analytics
