#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>

#include "edgegw/analytics/maintenance_predictor.hpp"
#include "edgegw/analytics/maintenance_training.hpp"
#include "synthetic_runs.hpp"

namespace edgegw::analytics {
namespace {

// Offline there is no arrival time: a sample arrives at its own event time.
MaintenanceUpdate observe(MaintenanceEstimator& estimator, const Sample& sample) {
  return estimator.observe(sample, sample.timestamp_ms);
}

std::shared_ptr<const RulModel> trained_model() {
  static const std::shared_ptr<const RulModel> kModel = [] {
    TrainingConfig c;
    c.kind = "ridge";
    c.name = "synthetic";
    c.version = "7";
    c.settings = {"alt"};
    c.windows = {5, 10};
    c.rul_cap = 60.0;
    return std::make_shared<const RulModel>(
        train_rul_model(testing::synthetic_runs(20, 3, 21), c).model);
  }();
  return kModel;
}

Sample sample_of(const std::string& device, const RunHistory& run, std::size_t row,
                 const std::vector<std::string>& columns) {
  Sample s;
  s.device = device;
  s.timestamp_ms = static_cast<std::int64_t>(run.time[row] * 1000.0);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    s.readings.push_back(Reading{columns[c], run.values[row][c], ""});
  }
  s.readings.push_back(Reading{"unrelated", 1.0, ""});
  return s;
}

TEST_CASE("the predictor follows a device to failure and raises then clears an alert", "[unit]") {
  const RunDataset data = testing::synthetic_runs(2, 3, 22);
  MaintenanceConfig config;
  config.device_class = "pump";
  config.cadence_samples = 5;
  config.horizon = 20.0;
  config.clear_margin = 10.0;
  RulPredictor predictor(trained_model(), config);
  std::vector<Alert> alerts;
  int predictions = 0;
  Prediction last;
  const RunHistory& run = data.runs[0];
  for (std::size_t i = 0; i < run.values.size(); ++i) {
    MaintenanceUpdate u = observe(predictor, sample_of("pump-1", run, i, data.columns));
    if (u.prediction) {
      ++predictions;
      last = *u.prediction;
    }
    if (u.alert)
      alerts.push_back(*u.alert);
  }
  CHECK(predictions == static_cast<int>(run.values.size()) / 5);
  CHECK(last.device == "pump-1");
  CHECK(last.model_name == "synthetic");
  CHECK(last.model_version == "7");
  CHECK(last.unit == "cycles");
  CHECK(last.rul < 15.0);
  CHECK(last.rul_lower <= last.rul);
  CHECK(last.rul_upper >= last.rul);
  REQUIRE_FALSE(alerts.empty());
  CHECK(alerts.front().state == AlertState::raised);
  CHECK(alerts.front().source == "maintenance:synthetic");
  CHECK(alerts.front().origin == AlertOrigin::maintenance);
  CHECK(alerts.front().id ==
        make_alert_id("pump-1", "maintenance:synthetic", alerts.front().raised_ms));
  REQUIRE(alerts.front().model.has_value());
  CHECK(alerts.front().model->version == "7");
  CHECK(alerts.front().unit == "cycles");
  CHECK(alerts.front().profile == "pump");
  CHECK(alerts.front().raised_ms == alerts.front().event_ms);
  // The features span the longest window (10 samples, one per second of the run's time).
  CHECK(alerts.front().window_ms == 9000);
  for (std::size_t i = 1; i < alerts.size(); ++i) {
    CHECK(alerts[i].state == AlertState::updated);           // one open alert, no spam
    CHECK(alerts[i].raised_ms == alerts.front().raised_ms);  // and one id for all of it
  }
  // After maintenance the device is healthy again: a new history clears the alert.
  const RunHistory& fresh = data.runs[1];
  predictor.reset_device("pump-1");
  bool raised = false;
  for (std::size_t i = 0; i < 30; ++i) {
    MaintenanceUpdate u = observe(predictor, sample_of("pump-1", fresh, i, data.columns));
    raised = raised || (u.alert && u.alert->state == AlertState::raised);
  }
  CHECK_FALSE(raised);  // a fresh state has no open alert and a healthy device raises none
}

TEST_CASE("an alert clears when the estimate recovers above the horizon and margin", "[unit]") {
  const RunDataset data = testing::synthetic_runs(2, 3, 23);
  MaintenanceConfig config;
  config.horizon = 20.0;
  RulPredictor predictor(trained_model(), config);
  const RunHistory& worn = data.runs[0];
  const RunHistory& fresh = data.runs[1];
  for (std::size_t i = 0; i < worn.values.size(); ++i) {
    (void)observe(predictor, sample_of("m", worn, i, data.columns));
  }
  std::optional<Alert> cleared;
  for (std::size_t i = 0; i < 40 && !cleared; ++i) {  // fresh readings flush the window
    MaintenanceUpdate u = observe(predictor, sample_of("m", fresh, i, data.columns));
    if (u.alert && u.alert->state == AlertState::cleared)
      cleared = u.alert;
  }
  REQUIRE(cleared);
  CHECK(cleared->statistic > 30.0);
}

TEST_CASE("NaN readings and samples without model sensors do not poison a device", "[unit]") {
  RulPredictor predictor(trained_model(), MaintenanceConfig{});
  Sample s;
  s.device = "d";
  s.readings = {{"wear", 11.0, ""}, {"flow", 2.5, ""}, {"alt", 0.0, ""}};
  REQUIRE(observe(predictor, s).prediction);
  s.readings = {{"wear", std::numeric_limits<double>::quiet_NaN(), ""}, {"flow", 2.4, ""}};
  const MaintenanceUpdate u = observe(predictor, s);
  REQUIRE(u.prediction);
  CHECK(std::isfinite(u.prediction->rul));
  s.readings = {{"other", 1.0, ""}};
  CHECK_FALSE(observe(predictor, s).prediction);  // nothing for this model: no step
  s.readings = {{"wear", 12.0, ""}};
  const MaintenanceUpdate v = observe(predictor, s);
  REQUIRE(v.prediction);
  CHECK(std::isfinite(v.prediction->rul));
  CHECK(v.prediction->samples_seen == 3);
}

TEST_CASE("device state is bounded and devices beyond the limit are refused", "[unit]") {
  MaintenanceConfig config;
  config.max_devices = 2;
  RulPredictor predictor(trained_model(), config);
  Sample s;
  s.readings = {{"wear", 11.0, ""}, {"flow", 2.5, ""}};
  for (const char* name : {"a", "b", "c"}) {
    s.device = name;
    (void)observe(predictor, s);
  }
  CHECK(predictor.device_count() == 2);
  CHECK(predictor.devices_refused() == 1);
  CHECK(predictor.bytes_per_device() > 0);
  CHECK(predictor.bytes_per_device() < 4096);
}

TEST_CASE("an invalid maintenance config names its key", "[unit]") {
  MaintenanceConfig config;
  config.cadence_samples = 0;
  CHECK_THROWS_WITH(RulPredictor(trained_model(), config), Catch::Contains("cadence_samples"));
}

TEST_CASE("devices idle for idle_eviction are evicted and make room for new ones", "[unit]") {
  MaintenanceConfig config;
  config.max_devices = 2;
  config.idle_eviction_ms = 60'000;
  RulPredictor predictor(trained_model(), config);
  Sample s;
  s.readings = {{"wear", 11.0, ""}, {"flow", 2.5, ""}};
  // Arrival time, not event time, says when a device was last seen.
  s.timestamp_ms = 1;
  for (const char* name : {"a", "b"}) {
    s.device = name;
    (void)predictor.observe(s, 0);
  }
  s.device = "b";
  (void)predictor.observe(s, 30'000);
  predictor.evict_idle(59'999);
  CHECK(predictor.device_count() == 2);
  predictor.evict_idle(60'000);
  CHECK(predictor.device_count() == 1);
  CHECK(predictor.device_counters().evicted == 1);
  s.device = "c";
  (void)predictor.observe(s, 61'000);
  CHECK(predictor.device_count() == 2);
  CHECK(predictor.devices_refused() == 0);
  s.device = "a";  // back, but the table is full again
  (void)predictor.observe(s, 61'000);
  CHECK(predictor.devices_refused() == 1);
}

}  // namespace
}  // namespace edgegw::analytics

namespace edgegw::analytics {
namespace {

TEST_CASE("a CNN model runs at the edge as it was evaluated offline", "[unit]") {
  TrainingConfig c;
  c.kind = "cnn";
  c.settings = {"alt"};
  c.sequence = 12;
  c.conv_filters = {4, 1};
  c.kernel = 5;
  c.cnn_hidden = {8};
  c.rul_cap = 60.0;
  c.ensemble = 2;
  c.max_epochs = 20;
  auto model = std::make_shared<const RulModel>(
      train_rul_model(testing::synthetic_runs(12, 3, 41), c).model);
  const RunDataset test = testing::synthetic_runs(3, 3, 42);
  const std::vector<RunPrediction> offline = predict_last(*model, test);
  RulPredictor predictor(model, MaintenanceConfig{});
  REQUIRE(offline.size() == test.runs.size());
  for (std::size_t u = 0; u < test.runs.size(); ++u) {
    std::optional<Prediction> last;
    const std::string device = "engine-" + std::to_string(u);
    for (std::size_t i = 0; i < test.runs[u].values.size(); ++i) {
      MaintenanceUpdate update =
          predictor.observe(sample_of(device, test.runs[u], i, test.columns), 0);
      if (update.prediction)
        last = update.prediction;
    }
    REQUIRE(last);
    CHECK(last->rul == offline[u].rul);  // the same window and evaluator: bit for bit
  }
  // A device's state holds the sequence, not a history of every sample.
  CHECK(predictor.bytes_per_device() < 2048);
}

}  // namespace
}  // namespace edgegw::analytics
