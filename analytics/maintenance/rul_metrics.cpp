// Offline evaluation: the C-MAPSS test protocol (predict at each unit's last row) and
// the usual error measures.

#include <cmath>
#include <stdexcept>
#include <vector>

#include "edgegw/analytics/maintenance_training.hpp"
#include "maintenance/feature_window.hpp"
#include "maintenance/rul_evaluator.hpp"
#include "maintenance/run_columns.hpp"

namespace edgegw::analytics {

double phm08_score(double predicted, double truth) {
  const double d = predicted - truth;
  return d < 0.0 ? std::exp(-d / 13.0) - 1.0 : std::exp(d / 10.0) - 1.0;
}

RulMetrics rul_metrics(const std::vector<double>& predicted, const std::vector<double>& truth,
                       const std::vector<double>& lower, const std::vector<double>& upper) {
  if (predicted.size() != truth.size()) {
    throw std::invalid_argument("rul_metrics: " + std::to_string(predicted.size()) +
                                " predictions for " + std::to_string(truth.size()) +
                                " true values");
  }
  const bool banded = lower.size() == truth.size() && upper.size() == truth.size();
  RulMetrics m;
  m.count = truth.size();
  double se = 0.0;
  double ae = 0.0;
  double inside = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const double d = predicted[i] - truth[i];
    se += d * d;
    ae += std::abs(d);
    m.phm08_score += phm08_score(predicted[i], truth[i]);
    if (banded && truth[i] >= lower[i] && truth[i] <= upper[i]) {
      inside += 1.0;
    }
  }
  if (m.count > 0) {
    const double n = static_cast<double>(m.count);
    m.rmse = std::sqrt(se / n);
    m.mae = ae / n;
    m.coverage = banded ? inside / n : 0.0;
  }
  return m;
}

std::vector<RunPrediction> predict_last(const RulModel& model, const RunDataset& data) {
  RulEvaluator evaluator(model);
  const RunColumns columns = resolve_columns(data.columns, model.features);
  FeatureWindow window(model.features);
  Eigen::VectorXd features(static_cast<Eigen::Index>(model.features.feature_count()));
  std::vector<double> sensors(columns.sensors.size());
  std::vector<double> settings(columns.settings.size());
  std::vector<RunPrediction> out;
  for (const RunHistory& run : data.runs) {
    if (run.values.empty()) {
      continue;
    }
    window.reset();
    for (const std::vector<double>& row : run.values) {
      columns.gather(row, sensors.data(), settings.data());
      window.push(sensors.data(), settings.data());
    }
    window.features(features);
    const RulEvaluator::Output o = evaluator.predict(features);
    out.push_back(RunPrediction{run.unit, o.rul, o.lower, o.upper});
  }
  return out;
}

}  // namespace edgegw::analytics
