// Training of remaining-useful-life models: regimes and sensors from the data, features
// through the run-time FeatureWindow, then ridge or an ensemble of small networks, each
// validated (and early-stopped) on its own fold of training units.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "edgegw/analytics/maintenance_training.hpp"
#include "maintenance/feature_window.hpp"
#include "maintenance/network_trainer.hpp"
#include "maintenance/operating_regimes.hpp"
#include "maintenance/run_columns.hpp"
#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

// A candidate sensor is kept when, normalized within its regime, it varies and follows
// remaining life at least this much (|Pearson r|): constant or unrelated sensors only add
// noise and cost.
constexpr double kMinCorrelation = 0.1;
// Upper edges of the uncertainty band's bins of predicted life, as fractions of the
// target cap, so that a model in hours gets as many bins as one in cycles (for the
// C-MAPSS cap of 125 cycles: 15, 30, 60 and 90 cycles).
constexpr double kBandEdgeFractions[] = {0.12, 0.24, 0.48, 0.72};

struct Samples {
  Eigen::MatrixXd x;         // features × samples
  Eigen::VectorXd y;         // capped remaining life
  std::vector<double> life;  // remaining life, uncapped
  std::vector<int> unit;     // index of the run of each sample
};

// A test of truncated runs scores one prediction per run, at its last row, against the
// uncapped truth; its truths reach a little past the cap (C-MAPSS FD001: 7 to 145 at a
// cap of 125). The out-of-fold rows scored the same way are those within this many caps
// of the end.
constexpr double kCutPointReach = 1.2;

void check_config(const RunDataset& data, const TrainingConfig& c) {
  if (data.runs.empty()) {
    throw std::invalid_argument("training data holds no runs");
  }
  if (c.kind != "ridge" && c.kind != "mlp" && c.kind != "cnn") {
    throw std::invalid_argument("kind: expected 'ridge', 'mlp' or 'cnn', got '" + c.kind + "'");
  }
  if (!(c.dropout >= 0.0 && c.dropout < 1.0) || !(c.input_noise.value_or(0.0) >= 0.0)) {
    throw std::invalid_argument("dropout must be in [0, 1) and input_noise not negative");
  }
  if (c.kind == "cnn" && (c.sequence < 2 || c.kernel < 1 || c.conv_filters.empty() ||
                          *std::min_element(c.conv_filters.begin(), c.conv_filters.end()) < 1)) {
    throw std::invalid_argument(
        "cnn: needs a sequence of at least 2 samples, a kernel and positive filter counts");
  }
  if (c.windows.empty() || !std::is_sorted(c.windows.begin(), c.windows.end()) ||
      c.windows.front() < 2) {
    throw std::invalid_argument("windows: need ascending lengths of at least 2 samples");
  }
  if (!(c.rul_cap > 0.0) || c.ensemble < 1 || c.max_epochs < 1 || c.batch_size < 1 ||
      !(c.validation_fraction > 0.0 && c.validation_fraction < 1.0)) {
    throw std::invalid_argument(
        "rul_cap, ensemble, max_epochs, batch_size must be positive and validation_fraction "
        "in (0, 1)");
  }
}

// Rows of every run, missing values carried forward; rows still missing are left out.
void stack_rows(const RunDataset& data, const std::vector<std::size_t>& settings,
                const std::vector<std::size_t>& sensors, double cap, Eigen::MatrixXd& s_out,
                Eigen::MatrixXd& x_out, Eigen::VectorXd& rul_out) {
  std::vector<double> s_buf, x_buf, r_buf;
  for (const RunHistory& run : data.runs) {
    std::vector<double> last(data.columns.size(), std::nan(""));
    for (std::size_t i = 0; i < run.values.size(); ++i) {
      bool complete = true;
      for (std::size_t c = 0; c < last.size(); ++c) {
        if (std::isfinite(run.values[i][c])) {
          last[c] = run.values[i][c];
        }
      }
      for (std::size_t c : settings)
        complete = complete && std::isfinite(last[c]);
      for (std::size_t c : sensors)
        complete = complete && std::isfinite(last[c]);
      if (!complete)
        continue;
      for (std::size_t c : settings)
        s_buf.push_back(last[c]);
      for (std::size_t c : sensors)
        x_buf.push_back(last[c]);
      r_buf.push_back(std::min(cap, run.rul_at(i)));
    }
  }
  const auto n = static_cast<Eigen::Index>(r_buf.size());
  s_out = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      s_buf.data(), n, static_cast<Eigen::Index>(settings.size()));
  x_out = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      x_buf.data(), n, static_cast<Eigen::Index>(sensors.size()));
  rul_out = Eigen::Map<Eigen::VectorXd>(r_buf.data(), n);
}

FeatureSpec make_spec(const RunDataset& data, const TrainingConfig& c,
                      std::map<std::string, std::string>& provenance) {
  std::vector<std::size_t> setting_cols;
  for (const std::string& s : c.settings)
    setting_cols.push_back(column_index(data.columns, s));
  std::vector<std::size_t> candidates;
  if (c.sensors.empty()) {
    for (std::size_t i = 0; i < data.columns.size(); ++i) {
      if (std::find(setting_cols.begin(), setting_cols.end(), i) == setting_cols.end()) {
        candidates.push_back(i);
      }
    }
  } else {
    for (const std::string& s : c.sensors)
      candidates.push_back(column_index(data.columns, s));
  }
  Eigen::MatrixXd settings, sensors;
  Eigen::VectorXd rul;
  stack_rows(data, setting_cols, candidates, c.rul_cap, settings, sensors, rul);
  if (sensors.rows() < 2) {
    throw std::invalid_argument("training data has fewer than 2 complete rows");
  }
  OperatingRegimes all =
      fit_operating_regimes(settings, sensors, c.settings, c.max_regimes, c.seed);
  const std::vector<int> labels = assign_regimes(all, settings);
  std::vector<std::size_t> keep;
  std::string dropped;
  for (Eigen::Index j = 0; j < sensors.cols(); ++j) {
    // Pearson correlation of the regime-normalized sensor with capped remaining life.
    double sz = 0.0, sr = 0.0, szz = 0.0, srr = 0.0, szr = 0.0;
    for (Eigen::Index i = 0; i < sensors.rows(); ++i) {
      const auto k = static_cast<std::size_t>(labels[static_cast<std::size_t>(i)]);
      const auto jj = static_cast<std::size_t>(j);
      const double z = (sensors(i, j) - all.sensor_mean[k][jj]) / all.sensor_std[k][jj];
      sz += z;
      sr += rul[i];
      szz += z * z;
      srr += rul[i] * rul[i];
      szr += z * rul[i];
    }
    const double n = static_cast<double>(sensors.rows());
    const double cov = szr - sz * sr / n;
    const double denom =
        std::sqrt(std::max(0.0, szz - sz * sz / n) * std::max(0.0, srr - sr * sr / n));
    const double r = denom > 1e-12 ? cov / denom : 0.0;
    if (!c.sensors.empty() || std::abs(r) >= kMinCorrelation) {
      keep.push_back(static_cast<std::size_t>(j));
    } else {
      dropped +=
          (dropped.empty() ? "" : ",") + data.columns[candidates[static_cast<std::size_t>(j)]];
    }
  }
  if (keep.empty()) {
    throw std::invalid_argument("no sensor follows remaining life; name sensors explicitly");
  }
  provenance["sensors_dropped"] = dropped;
  FeatureSpec spec;
  if (c.kind == "cnn") {
    spec.sequence = c.sequence;  // the network reads the sequence, not window statistics
  } else {
    spec.windows = c.windows;
  }
  spec.smoothing = c.smoothing;
  spec.regimes = all;
  spec.regimes.sensor_mean.clear();
  spec.regimes.sensor_std.clear();
  for (std::size_t j : keep)
    spec.sensors.push_back(data.columns[candidates[j]]);
  for (std::size_t k = 0; k < all.regime_count(); ++k) {
    std::vector<double> mean, sd;
    for (std::size_t j : keep) {
      mean.push_back(all.sensor_mean[k][j]);
      sd.push_back(all.sensor_std[k][j]);
    }
    spec.regimes.sensor_mean.push_back(std::move(mean));
    spec.regimes.sensor_std.push_back(std::move(sd));
  }
  return spec;
}

Samples make_samples(const RunDataset& data, const FeatureSpec& spec, const TrainingConfig& c) {
  const RunColumns columns = resolve_columns(data.columns, spec);
  FeatureWindow window(spec);
  std::vector<double> sensors(columns.sensors.size()), settings(columns.settings.size());
  std::size_t total = 0;
  for (const RunHistory& run : data.runs)
    total += run.values.size();
  Samples s;
  s.x.resize(static_cast<Eigen::Index>(spec.feature_count()), static_cast<Eigen::Index>(total));
  s.y.resize(static_cast<Eigen::Index>(total));
  Eigen::Index n = 0;
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    const RunHistory& run = data.runs[r];
    window.reset();
    for (std::size_t i = 0; i < run.values.size(); ++i) {
      columns.gather(run.values[i], sensors.data(), settings.data());
      window.push(sensors.data(), settings.data());
      if (window.count() < c.min_history)
        continue;
      window.features(s.x.col(n));
      s.y[n] = std::min(c.rul_cap, run.rul_at(i));
      s.life.push_back(run.rul_at(i));
      s.unit.push_back(static_cast<int>(r));
      ++n;
    }
  }
  s.x.conservativeResize(Eigen::NoChange, n);
  s.y.conservativeResize(n);
  return s;
}

std::vector<Eigen::Index> columns_where(const std::vector<int>& unit_fold, const Samples& s,
                                        int fold, bool equal) {
  std::vector<Eigen::Index> out;
  for (std::size_t i = 0; i < s.unit.size(); ++i) {
    if ((unit_fold[static_cast<std::size_t>(s.unit[i])] == fold) == equal) {
      out.push_back(static_cast<Eigen::Index>(i));
    }
  }
  return out;
}

double rmse(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() ? std::sqrt((a - b).squaredNorm() / static_cast<double>(a.size())) : 0.0;
}

// The band's spread per bin of predicted life: the RMS of out-of-fold residuals against
// `truth`. The band promises to cover the true remaining life, uncapped, where a
// prediction is read: the caller passes the cut-point rows against their uncapped life
// (a prediction at the cap then owns the engines whose life is a little beyond it).
UncertaintyBand residual_band(const std::vector<double>& pred, const std::vector<double>& truth,
                              double cap) {
  UncertaintyBand band;
  for (double fraction : kBandEdgeFractions)
    band.upper_edges.push_back(fraction * cap);
  band.upper_edges.push_back(1e300);  // the last bin: everything above
  std::vector<double> se(band.upper_edges.size(), 0.0), n(se.size(), 0.0);
  double se_all = 0.0;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    const std::size_t b = band.bin(pred[i]);
    const double d2 = (pred[i] - truth[i]) * (pred[i] - truth[i]);
    se[b] += d2;
    n[b] += 1.0;
    se_all += d2;
  }
  // A bin no residual fell in takes the spread of them all.
  const double sigma_all =
      pred.empty() ? 0.0 : std::sqrt(se_all / static_cast<double>(pred.size()));
  for (std::size_t b = 0; b < se.size(); ++b) {
    band.sigma.push_back(n[b] > 0 ? std::sqrt(se[b] / n[b]) : sigma_all);
  }
  return band;
}

}  // namespace

TrainingReport train_rul_model(const RunDataset& data, const TrainingConfig& c) {
  check_config(data, c);
  TrainingReport report;
  RulModel& model = report.model;
  model.name = c.name;
  model.version = c.version;
  model.kind = c.kind;
  model.unit = c.unit;
  model.rul_cap = c.rul_cap;
  model.target_scale = c.rul_cap;
  model.features = make_spec(data, c, model.provenance);

  Samples s = make_samples(data, model.features, c);
  report.samples = s.unit.size();
  if (s.unit.empty())
    throw std::invalid_argument("no training sample (runs too short?)");
  const Eigen::VectorXd mean = s.x.rowwise().mean();
  Eigen::VectorXd scale = ((s.x.colwise() - mean).cwiseAbs2().rowwise().mean()).cwiseSqrt();
  scale = (scale.array() > 1e-9).select(scale, 1.0);
  model.feature_mean.assign(mean.data(), mean.data() + mean.size());
  model.feature_scale.assign(scale.data(), scale.data() + scale.size());
  const Eigen::MatrixXd x = (s.x.colwise() - mean).cwiseQuotient(scale.replicate(1, s.x.cols()));
  const Eigen::VectorXd y = s.y / model.target_scale;

  // Folds of units (never of rows: rows of one unit are strongly correlated).
  const int folds = c.ensemble > 1
                        ? c.ensemble
                        : std::max(2, static_cast<int>(std::lround(1.0 / c.validation_fraction)));
  std::vector<std::size_t> order(data.runs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  SplitMix rng(c.seed);
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.below(i)]);
  std::vector<int> unit_fold(data.runs.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    unit_fold[order[i]] = static_cast<int>(i % folds);

  Eigen::VectorXd oof = Eigen::VectorXd::Constant(y.size(), std::nan(""));
  const int members = c.kind == "ridge" ? 1 : c.ensemble;
  for (int m = 0; m < members; ++m) {
    const std::vector<Eigen::Index> tr = columns_where(unit_fold, s, m, false);
    const std::vector<Eigen::Index> va = columns_where(unit_fold, s, m, true);
    const Eigen::MatrixXd xt = x(Eigen::all, tr), xv = x(Eigen::all, va);
    const Eigen::VectorXd yt = y(tr), yv = y(va);
    if (c.kind == "ridge") {
      double best = std::numeric_limits<double>::infinity(), best_lambda = 1.0;
      for (double lambda : c.ridge_lambdas) {
        const double e = rmse(predict_batch(fit_ridge(xt, yt, lambda), xv), yv);
        if (e < best) {
          best = e;
          best_lambda = lambda;
        }
      }
      oof(va) = predict_batch(fit_ridge(xt, yt, best_lambda), xv);
      model.members.push_back(fit_ridge(x, y, best_lambda));  // final fit on every unit
      model.metrics["ridge_lambda"] = best_lambda;
      report.stopped_epoch.push_back(0);
      continue;
    }
    NetworkTrainingConfig nc;
    nc.hidden = c.hidden;
    if (c.kind == "cnn") {
      nc.conv_filters = c.conv_filters;
      nc.kernel = c.kernel;
      nc.channels = static_cast<int>(model.features.sensors.size());
      nc.hidden = c.cnn_hidden;
    }
    nc.max_epochs = c.max_epochs;
    nc.patience = c.patience;
    nc.batch_size = c.batch_size;
    nc.learning_rate = c.learning_rate;
    nc.weight_decay = c.weight_decay;
    nc.dropout = c.dropout;
    nc.input_noise = c.input_noise.value_or(c.kind == "cnn" ? TrainingConfig::kCnnInputNoise : 0.0);
    nc.seed = c.seed * 1000003ULL + static_cast<std::uint64_t>(m);
    // float32 weights: a quarter of the file (base64 instead of decimal doubles) at no
    // measurable cost in accuracy, and still exact once loaded.
    nc.float32_weights = true;
    NetworkTrainingResult r = train_network(xt, yt, xv, yv, nc);
    for (std::size_t e = 0; e < r.train_rmse.size(); ++e) {
      report.epochs.push_back(EpochLog{m, static_cast<int>(e + 1),
                                       r.train_rmse[e] * model.target_scale,
                                       r.validation_rmse[e] * model.target_scale});
    }
    report.stopped_epoch.push_back(r.best_epoch);
    oof(va) = predict_batch(r.network, xv);
    model.members.push_back(std::move(r.network));
  }

  // Out-of-fold residuals: the validation error and the uncertainty band.
  std::vector<double> pred, truth;
  double se_degrading = 0.0, n_degrading = 0.0;
  std::vector<double> cut_pred, cut_life;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (!std::isfinite(oof[i]))
      continue;
    const double p = std::max(0.0, oof[i] * model.target_scale);
    const double t = y[i] * model.target_scale;
    pred.push_back(p);
    truth.push_back(t);
    if (t < c.rul_cap) {
      se_degrading += (p - t) * (p - t);
      n_degrading += 1.0;
    }
    if (const double life = s.life[static_cast<std::size_t>(i)];
        life <= kCutPointReach * c.rul_cap) {
      cut_pred.push_back(p);
      cut_life.push_back(life);
    }
  }
  model.band = cut_pred.empty() ? residual_band(pred, truth, c.rul_cap)
                                : residual_band(cut_pred, cut_life, c.rul_cap);
  const RulMetrics vm = rul_metrics(pred, truth);
  report.validation_rmse = vm.rmse;
  report.validation_rmse_degrading = n_degrading > 0 ? std::sqrt(se_degrading / n_degrading) : 0.0;
  report.validation_cut_points = rul_metrics(cut_pred, cut_life);
  model.metrics["validation_rmse"] = vm.rmse;
  model.metrics["validation_rmse_degrading"] = report.validation_rmse_degrading;
  model.metrics["validation_rmse_cut_points"] = report.validation_cut_points.rmse;
  if (report.validation_cut_points.count > 0) {
    // Per 100 cut points, to read beside a test of 100 runs (C-MAPSS FD001's).
    model.metrics["validation_phm08_per_100_cut_points"] =
        100.0 * report.validation_cut_points.phm08_score /
        static_cast<double>(report.validation_cut_points.count);
  }
  model.metrics["validation_mae"] = vm.mae;
  model.metrics["validation_samples"] = static_cast<double>(vm.count);
  model.metrics["training_samples"] = static_cast<double>(report.samples);
  model.metrics["regimes"] = static_cast<double>(model.features.regimes.regime_count());
  model.metrics["parameters"] = static_cast<double>(model.parameter_count());
  model.provenance["seed"] = std::to_string(c.seed);
  model.provenance["units"] = std::to_string(data.runs.size());
  model.provenance["folds"] = std::to_string(folds);
  return report;
}

}  // namespace edgegw::analytics
