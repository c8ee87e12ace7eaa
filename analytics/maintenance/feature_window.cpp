#include "maintenance/feature_window.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgegw::analytics {

std::vector<std::string> FeatureSpec::feature_names() const {
  static constexpr const char* kStats[kStatsPerWindow] = {"mean", "slope", "std", "min", "max"};
  std::vector<std::string> names;
  names.reserve(feature_count());
  if (is_sequence()) {
    for (int t = sequence - 1; t >= 0; --t) {  // oldest first: "s2@t-29" ... "s2@t-0"
      for (const std::string& sensor : sensors) {
        names.push_back(sensor + "@t-" + std::to_string(t));
      }
    }
    return names;
  }
  for (const std::string& sensor : sensors) {
    names.push_back(sensor + ".ewma");
    for (int w : windows) {
      for (const char* stat : kStats) {
        names.push_back(sensor + "." + stat + "@" + std::to_string(w));
      }
    }
  }
  return names;
}

FeatureWindow::FeatureWindow(const FeatureSpec& spec)
    : spec_(spec),
      capacity_(std::max(1, spec.max_window())),
      ring_(Eigen::MatrixXd::Zero(capacity_, static_cast<Eigen::Index>(spec.sensors.size()))),
      last_raw_(Eigen::VectorXd::Constant(static_cast<Eigen::Index>(spec.sensors.size()),
                                          std::numeric_limits<double>::quiet_NaN())),
      settings_raw_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(spec.regimes.settings.size()))),
      standardized_(settings_raw_.size()),
      ewma_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(spec.sensors.size()))) {}

void FeatureWindow::reset() {
  ring_.setZero();
  last_raw_.setConstant(std::numeric_limits<double>::quiet_NaN());
  settings_raw_.setZero();
  ewma_.setZero();
  head_ = 0;
  count_ = 0;
  regime_ = 0;
}

std::size_t FeatureWindow::bytes() const {
  return sizeof(*this) +
         sizeof(double) *
             static_cast<std::size_t>(ring_.size() + last_raw_.size() + settings_raw_.size() +
                                      standardized_.size() + ewma_.size());
}

int FeatureWindow::nearest_regime() const {
  const OperatingRegimes& r = spec_.regimes;
  if (r.regime_count() <= 1 || r.settings.empty()) {
    return 0;
  }
  int best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < r.centers.size(); ++k) {
    double d = 0.0;
    for (std::size_t j = 0; j < r.settings.size(); ++j) {
      const double z =
          (settings_raw_[static_cast<Eigen::Index>(j)] - r.setting_mean[j]) / r.setting_scale[j];
      d += (z - r.centers[k][j]) * (z - r.centers[k][j]);
    }
    if (d < best_d) {
      best_d = d;
      best = static_cast<int>(k);
    }
  }
  return best;
}

void FeatureWindow::push(const double* sensors, const double* settings) {
  for (Eigen::Index j = 0; j < settings_raw_.size(); ++j) {
    if (std::isfinite(settings[j])) {
      settings_raw_[j] = settings[j];
    }
  }
  regime_ = nearest_regime();
  const OperatingRegimes& r = spec_.regimes;
  const bool has_stats = static_cast<std::size_t>(regime_) < r.sensor_mean.size();
  const double alpha = spec_.smoothing;
  for (Eigen::Index s = 0; s < ring_.cols(); ++s) {
    if (std::isfinite(sensors[s])) {
      last_raw_[s] = sensors[s];
    }
    double z = 0.0;  // a sensor never seen reads as its regime's mean
    if (std::isfinite(last_raw_[s])) {
      z = has_stats
              ? (last_raw_[s] -
                 r.sensor_mean[static_cast<std::size_t>(regime_)][static_cast<std::size_t>(s)]) /
                    r.sensor_std[static_cast<std::size_t>(regime_)][static_cast<std::size_t>(s)]
              : last_raw_[s];
    }
    ring_(head_, s) = z;
    ewma_[s] = count_ == 0 ? z : alpha * z + (1.0 - alpha) * ewma_[s];
  }
  head_ = (head_ + 1) % capacity_;
  ++count_;
}

void FeatureWindow::features(Eigen::Ref<Eigen::VectorXd> out) const {
  if (spec_.is_sequence()) {
    sequence(out);
    return;
  }
  const std::size_t windows = spec_.windows.size();
  const Eigen::Index per_sensor =
      static_cast<Eigen::Index>(1 + windows * FeatureSpec::kStatsPerWindow);
  const Eigen::Index available =
      std::min<Eigen::Index>(static_cast<Eigen::Index>(count_), capacity_);
  for (Eigen::Index s = 0; s < ring_.cols(); ++s) {
    Eigen::Index o = s * per_sensor;
    out[o++] = ewma_[s];
    // Walk from the newest row backwards once, emitting each window's statistics when
    // its length (or the available history) is reached. age = 0 for the newest row.
    double sum = 0.0;
    double sum_sq = 0.0;
    double sum_age_y = 0.0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    Eigen::Index k = 0;
    for (std::size_t w = 0; w < windows; ++w) {
      const Eigen::Index n = std::min<Eigen::Index>(spec_.windows[w], available);
      for (; k < n; ++k) {
        const Eigen::Index row = (head_ - 1 - k + 2 * capacity_) % capacity_;
        const double y = ring_(row, s);
        sum += y;
        sum_sq += y * y;
        sum_age_y += static_cast<double>(k) * y;
        lo = std::min(lo, y);
        hi = std::max(hi, y);
      }
      const double nn = static_cast<double>(std::max<Eigen::Index>(n, 1));
      const double mean = sum / nn;
      const double sx = nn * (nn - 1.0) / 2.0;
      const double sxx = (nn - 1.0) * nn * (2.0 * nn - 1.0) / 6.0;
      const double var_x = sxx - sx * sx / nn;
      // Slope per sample in time order: ages run backwards, hence the minus sign.
      const double slope = var_x > 0.0 ? -(sum_age_y - sx * sum / nn) / var_x : 0.0;
      out[o++] = mean;
      out[o++] = slope;
      out[o++] = std::sqrt(std::max(0.0, sum_sq / nn - mean * mean));
      out[o++] = n > 0 ? lo : 0.0;
      out[o++] = n > 0 ? hi : 0.0;
    }
  }
}

void FeatureWindow::sequence(Eigen::Ref<Eigen::VectorXd> out) const {
  const Eigen::Index sensors = ring_.cols();
  const Eigen::Index steps = spec_.sequence;
  const Eigen::Index available =
      std::min<Eigen::Index>(static_cast<Eigen::Index>(count_), capacity_);
  for (Eigen::Index t = 0; t < steps; ++t) {
    // A history shorter than the sequence repeats its oldest sample in front: a flat
    // start reads as "no degradation seen yet", which zeros would not.
    const Eigen::Index age = std::min(steps - 1 - t, std::max<Eigen::Index>(available - 1, 0));
    const Eigen::Index row = (head_ - 1 - age + 2 * capacity_) % capacity_;
    out.segment(t * sensors, sensors) = ring_.row(row).transpose();
  }
}

}  // namespace edgegw::analytics
