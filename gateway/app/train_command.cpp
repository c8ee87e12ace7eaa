// `edgegw train`: fits a remaining-useful-life model on run-to-failure histories and
// writes it as a model file; with --test it also evaluates a model (the one just trained,
// or --model) on truncated test units: RMSE and the PHM08 score at each unit's last row.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "edgegw/analytics/maintenance_training.hpp"
#include "edgegw/csv.hpp"
#include "models/model_file.hpp"
#include "models/run_dataset_reader.hpp"

namespace edgegw::app {
namespace {

struct TrainOptions {
  std::string data;
  std::string out;
  std::string model;  // evaluate this model instead of training
  std::string test;
  std::string test_rul;
  std::string predictions;
  std::string curves;
  std::string settings = "auto";
  analytics::TrainingConfig config;
};

void write_curves(const std::string& path, const analytics::TrainingReport& report) {
  std::ofstream out(path);
  out << "member,epoch,train_rmse,validation_rmse\n";
  for (const analytics::EpochLog& e : report.epochs) {
    out << e.member << ',' << e.epoch << ',' << e.train_rmse << ',' << e.validation_rmse << '\n';
  }
}

analytics::RulModel train(TrainOptions& o) {
  analytics::RunDataset data = models::read_runs(o.data);
  if (o.settings == "auto") {
    // C-MAPSS names its three operating settings; a CSV's must be named explicitly.
    o.config.settings.clear();
    for (const std::string& c : data.columns) {
      if (c.rfind("setting", 0) == 0)
        o.config.settings.push_back(c);
    }
  } else if (o.settings != "none") {
    // The shared splitter, not CLI11's internal one; a stray comma names no column.
    o.config.settings.clear();
    for (std::string_view column : split_fields(o.settings, ',')) {
      if (!column.empty()) {
        o.config.settings.emplace_back(column);
      }
    }
  }
  spdlog::info("Training a maintenance model. data={} units={} kind={} seed={}", o.data,
               data.runs.size(), o.config.kind, o.config.seed);
  const auto start = std::chrono::steady_clock::now();
  analytics::TrainingReport report = analytics::train_rul_model(data, o.config);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.model.metrics["training_seconds"] = seconds;
  report.model.provenance["data"] = std::filesystem::path(o.data).filename().string();
  std::string stops;
  for (int e : report.stopped_epoch)
    stops += (stops.empty() ? "" : ",") + std::to_string(e);
  spdlog::info(
      "Model trained. samples={} sensors={} regimes={} parameters={} validation_rmse={:.2f} "
      "validation_rmse_degrading={:.2f} validation_rmse_cut_points={:.2f} cut_points={} "
      "best_epochs={} seconds={:.1f}",
      report.samples, report.model.features.sensors.size(),
      report.model.features.regimes.regime_count(), report.model.parameter_count(),
      report.validation_rmse, report.validation_rmse_degrading, report.validation_cut_points.rmse,
      report.validation_cut_points.count, stops, seconds);
  if (!o.curves.empty())
    write_curves(o.curves, report);
  if (!o.out.empty()) {
    models::save_model(report.model, o.out);
    spdlog::info("Model written. path={} bytes={}", o.out, std::filesystem::file_size(o.out));
  }
  return std::move(report.model);
}

void evaluate(const TrainOptions& o, const analytics::RulModel& model) {
  analytics::RunDataset test = models::read_runs(o.test);
  if (!o.test_rul.empty())
    models::apply_final_rul(test, models::read_rul_file(o.test_rul));
  const std::vector<analytics::RunPrediction> predicted = analytics::predict_last(model, test);
  std::vector<double> pred, truth, lower, upper;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    pred.push_back(predicted[i].rul);
    lower.push_back(predicted[i].lower);
    upper.push_back(predicted[i].upper);
    truth.push_back(test.runs[i].rul_at(test.runs[i].time.size() - 1));
  }
  const analytics::RulMetrics m = analytics::rul_metrics(pred, truth, lower, upper);
  // Many published C-MAPSS figures cap the test truth at the training cap as well; print
  // both so that a comparison can use the matching one.
  std::vector<double> capped_truth = truth;
  for (double& t : capped_truth) {
    t = std::min(t, model.rul_cap);
  }
  const analytics::RulMetrics mc = analytics::rul_metrics(pred, capped_truth, lower, upper);
  if (!o.predictions.empty()) {
    std::ofstream out(o.predictions);
    out << "unit,true_rul,predicted_rul,lower,upper\n";
    for (std::size_t i = 0; i < predicted.size(); ++i) {
      out << predicted[i].unit << ',' << truth[i] << ',' << pred[i] << ',' << lower[i] << ','
          << upper[i] << '\n';
    }
  }
  std::printf(
      "test=%s units=%zu rmse=%.2f mae=%.2f phm08_score=%.1f band_coverage=%.2f "
      "capped_truth: rmse=%.2f phm08_score=%.1f\n",
      std::filesystem::path(o.test).filename().c_str(), m.count, m.rmse, m.mae, m.phm08_score,
      m.coverage, mc.rmse, mc.phm08_score);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Train a remaining-useful-life model on run-to-failure histories, and evaluate it");
  analytics::TrainingConfig& c = o->config;
  cmd->add_option("--data", o->data,
                  "Training histories: C-MAPSS text, or CSV device,time,<sensors...>[,rul]");
  cmd->add_option("--out,-o", o->out, "Model file to write (JSON)");
  cmd->add_option("--model", o->model, "Evaluate this model file instead of training")
      ->check(CLI::ExistingFile);
  cmd->add_option("--test", o->test, "Test histories: predict at each unit's last row");
  cmd->add_option("--test-rul", o->test_rul, "True remaining life at each test unit's end");
  cmd->add_option("--predictions", o->predictions, "CSV of per-unit test predictions");
  cmd->add_option("--curves", o->curves, "CSV of learning curves (per member and epoch)");
  cmd->add_option("--kind", c.kind, "Model kind")
      ->check(CLI::IsMember({"mlp", "ridge", "cnn"}))
      ->capture_default_str();
  cmd->add_option("--name", c.name, "Model name")->capture_default_str();
  cmd->add_option("--model-version", c.version, "Model version")->capture_default_str();
  cmd->add_option("--unit", c.unit, "Unit of remaining life")->capture_default_str();
  cmd->add_option("--sensors", c.sensors, "Sensor columns (default: every informative one)")
      ->delimiter(',');
  cmd->add_option("--settings", o->settings,
                  "Operating-setting columns, comma separated; 'auto' (columns named setting*) "
                  "or 'none'")
      ->capture_default_str();
  cmd->add_option("--max-regimes", c.max_regimes, "Most operating regimes")->capture_default_str();
  cmd->add_option("--windows", c.windows, "Window lengths (samples)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--rul-cap", c.rul_cap, "Cap of the target (piecewise linear)")
      ->capture_default_str();
  cmd->add_option("--hidden", c.hidden, "Hidden layer sizes")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--sequence", c.sequence, "CNN: samples of the input sequence")
      ->capture_default_str();
  cmd->add_option("--filters", c.conv_filters, "CNN: filters of each convolution layer")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--kernel", c.kernel, "CNN: taps of every convolution")->capture_default_str();
  cmd->add_option("--cnn-hidden", c.cnn_hidden, "CNN: dense layer sizes after the convolutions")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--dropout", c.dropout, "Dropout rate of the hidden dense layers' inputs")
      ->capture_default_str();
  cmd->add_option("--input-noise", c.input_noise,
                  "Noise (standard deviations) added to the inputs while training; default 0.5 "
                  "for the CNN, 0 for the MLP");
  cmd->add_option("--ensemble", c.ensemble, "Networks, each validated on its own fold of units")
      ->capture_default_str();
  cmd->add_option("--epochs", c.max_epochs, "Most epochs")->capture_default_str();
  cmd->add_option("--patience", c.patience, "Early stopping patience (epochs)")
      ->capture_default_str();
  cmd->add_option("--batch", c.batch_size, "Minibatch size")->capture_default_str();
  cmd->add_option("--lr", c.learning_rate, "Adam learning rate")->capture_default_str();
  cmd->add_option("--weight-decay", c.weight_decay, "Decoupled weight decay")
      ->capture_default_str();
  cmd->add_option("--validation-fraction", c.validation_fraction,
                  "Fraction of units held out (single network)")
      ->capture_default_str();
  cmd->add_option("--seed", c.seed, "Random seed (training is deterministic for a seed)")
      ->capture_default_str();
  cmd->callback([o] {
    try {
      if (o->data.empty() && o->model.empty()) {
        throw std::invalid_argument("give --data to train, or --model with --test to evaluate");
      }
      analytics::RulModel model = o->model.empty() ? train(*o) : models::load_model(o->model);
      if (!o->test.empty())
        evaluate(*o, model);
    } catch (const std::exception& e) {
      spdlog::error("Training failed. reason={}", e.what());
      throw CommandExit{exit_code::failure};
    }
  });
}

}  // namespace edgegw::app
