// `edgegw analyze`: runs the configured analytics over a file of samples, offline, and
// writes what they would have done: per-row detector scores with a combined
// anomaly_score in [0, 1] (CSV), and the alerts they would have raised (JSONL, the same
// encoding as on Kafka). Users tune thresholds with it; evaluations score with it.
//
// Maintenance models (`analytics.maintenance` of the config, or --model) run too, for
// the device class named by --profile: their predictions go to --predictions (JSONL, as
// on the predictions topic) and their alerts to --alerts with the anomaly alerts.
//
// Input: CSV with a header (a timestamp column, an optional `device` column, one column
// per sensor), or JSON lines ({"timestamp": ..., "device": ..., "readings": {name: value}}
// or flat {"timestamp": ..., "<sensor>": value, ...}). Timestamps are epoch seconds,
// epoch milliseconds, or ISO-8601 text (no zone means UTC). Event time is also used as
// the clock, so silence and window closing behave as they would live.

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "config/analytics_section.hpp"
#include "config/config_node.hpp"
#include "config/maintenance_section.hpp"
#include "edgegw/analytics/engine.hpp"
#include "edgegw/csv.hpp"
#include "mapping/timestamp_parser.hpp"
#include "pipeline/maintenance_stage.hpp"
#include "records/analytics_encoding.hpp"

namespace edgegw::app {
namespace {

struct AnalyzeOptions {
  std::string config;
  std::string profile;
  std::string input;
  std::string scores;
  std::string alerts;
  std::string aggregates;
  std::string predictions;
  std::string model;  // a model file to run without a config's maintenance section
  analytics::MaintenanceConfig model_settings;
  std::string device = "device";
  std::string timestamp_column = "timestamp";
  std::optional<std::uint32_t> baseline_rows;  // commissioning rows per device, every profile

  [[nodiscard]] std::string device_class() const { return profile.empty() ? "default" : profile; }
};

struct AnalyzeSetup {
  analytics::AnalyticsConfig analytics;
  std::vector<analytics::MaintenanceConfig> maintenance;  // of the analyzed device class
};

AnalyzeSetup load_setup(const AnalyzeOptions& o) {
  AnalyzeSetup setup;
  if (o.config.empty()) {
    setup.analytics = config::parse_analytics_section(
        config::ConfigNode::load_string("analytics: {}", "(defaults)").child("analytics"));
  } else {
    const config::ConfigNode root = config::ConfigNode::load_file(o.config);
    if (!root.has("analytics")) {
      root.fail("has no `analytics:` section (a gateway config or a file with just that section)");
    }
    setup.analytics = config::parse_analytics_section(root.child("analytics"));
    setup.analytics.enabled = true;  // analyzing is asking for it
    for (analytics::MaintenanceConfig& m :
         config::parse_maintenance_section(root.child("analytics").child("maintenance"))) {
      if (m.device_class == o.device_class()) {
        setup.maintenance.push_back(std::move(m));
      }
    }
  }
  if (!o.model.empty()) {
    analytics::MaintenanceConfig m = o.model_settings;
    m.device_class = o.device_class();
    m.model_file = o.model;
    if (const auto problem = m.validate()) {
      throw std::runtime_error("--" + *problem);
    }
    setup.maintenance = {m};  // the command line's model replaces the config's
  }
  if (o.baseline_rows) {
    for (auto& [name, profile] : setup.analytics.profiles) {
      profile.baseline.samples = *o.baseline_rows;
    }
  }
  return setup;
}

std::int64_t parse_time(std::string_view text, std::size_t line) {
  Result<std::int64_t> t = mapping::parse_time_text(text);
  if (!t) {
    throw std::runtime_error(
        fmt::format("line {}: cannot read the timestamp '{}': {}", line, text, t.error().message));
  }
  return t.value();
}

double parse_value(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  double v = std::numeric_limits<double>::quiet_NaN();
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;  // an empty or unreadable cell is a missing value: NaN, ignored and counted
}

// Reads samples one at a time from CSV or JSON lines. Keeps the row's timestamp text so
// that the scores file lines up with the input row for row.
class SampleReader {
 public:
  SampleReader(const AnalyzeOptions& o) : in_(o.input), options_(o) {
    if (!in_) {
      throw std::runtime_error(fmt::format("{}: cannot read the input file", o.input));
    }
    const std::string& p = o.input;
    json_ = p.ends_with(".jsonl") || p.ends_with(".ndjson") || p.ends_with(".json");
    if (!json_) {
      read_header();
    }
  }

  bool next(Sample& sample, std::string& time_text) {
    std::string line;
    do {
      if (!std::getline(in_, line)) {
        return false;
      }
      ++line_no_;
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
    } while (line.empty());
    sample.readings.clear();
    sample.device = options_.device;
    return json_ ? parse_json(line, sample, time_text) : parse_csv(line, sample, time_text);
  }

 private:
  void read_header() {
    std::string header;
    if (!std::getline(in_, header)) {
      throw std::runtime_error(
          fmt::format("{}: empty file, expected a header row", options_.input));
    }
    ++line_no_;
    if (!header.empty() && header.back() == '\r') {
      header.pop_back();
    }
    for (std::string_view cell : split_fields(header)) {
      columns_.emplace_back(cell);
    }
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i] == options_.timestamp_column) {
        time_col_ = static_cast<int>(i);
      } else if (columns_[i] == "device") {
        device_col_ = static_cast<int>(i);
      }
    }
    if (time_col_ < 0) {
      throw std::runtime_error(fmt::format("{}: no '{}' column in the header (--timestamp-column)",
                                           options_.input, options_.timestamp_column));
    }
  }

  bool parse_csv(const std::string& line, Sample& sample, std::string& time_text) {
    const std::vector<std::string_view> cells = split_fields(line);
    if (cells.size() != columns_.size()) {
      throw std::runtime_error(fmt::format("{}:{}: {} cells, the header has {}", options_.input,
                                           line_no_, cells.size(), columns_.size()));
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (static_cast<int>(i) == time_col_) {
        time_text = std::string(cells[i]);
        sample.timestamp_ms = parse_time(cells[i], line_no_);
      } else if (static_cast<int>(i) == device_col_) {
        sample.device = std::string(cells[i]);
      } else {
        sample.readings.push_back(Reading{columns_[i], parse_value(cells[i]), ""});
      }
    }
    return true;
  }

  bool parse_json(const std::string& line, Sample& sample, std::string& time_text) {
    const nlohmann::json doc = nlohmann::json::parse(line, nullptr, false);
    if (!doc.is_object()) {
      throw std::runtime_error(fmt::format("{}:{}: not a JSON object", options_.input, line_no_));
    }
    const auto ts = doc.find(options_.timestamp_column);
    if (ts == doc.end()) {
      throw std::runtime_error(
          fmt::format("{}:{}: no '{}' field", options_.input, line_no_, options_.timestamp_column));
    }
    time_text = ts->is_string() ? ts->get<std::string>() : ts->dump();
    sample.timestamp_ms = parse_time(time_text, line_no_);
    if (const auto d = doc.find("device"); d != doc.end() && d->is_string()) {
      sample.device = d->get<std::string>();
    }
    const auto add = [&](const std::string& name, const nlohmann::json& v) {
      if (v.is_number()) {
        sample.readings.push_back(Reading{name, v.get<double>(), ""});
      } else if (v.is_null()) {
        sample.readings.push_back(Reading{name, std::numeric_limits<double>::quiet_NaN(), ""});
      }
    };
    const auto readings = doc.find("readings");
    const nlohmann::json& fields = readings != doc.end() && readings->is_object() ? *readings : doc;
    for (const auto& [key, value] : fields.items()) {
      if (key != options_.timestamp_column && key != "device") {
        add(key, value.is_object() && value.contains("value") ? value["value"] : value);
      }
    }
    return true;
  }

  std::ifstream in_;
  const AnalyzeOptions& options_;
  bool json_ = false;
  std::vector<std::string> columns_;
  int time_col_ = -1;
  int device_col_ = -1;
  std::size_t line_no_ = 0;
};

std::unique_ptr<std::ofstream> open_output(const std::string& path) {
  if (path.empty()) {
    return nullptr;
  }
  auto out = std::make_unique<std::ofstream>(path);
  if (!*out) {
    throw std::runtime_error(fmt::format("{}: cannot write this file", path));
  }
  return out;
}

void write_alerts(std::ofstream* out, analytics::Output& result) {
  if (out != nullptr) {
    for (const analytics::Alert& a : result.alerts) {
      *out << records::encode_alert(a, "analyze") << '\n';
    }
  }
}

// Writes what the maintenance stage emits: predictions and alerts, as on Kafka.
pipeline::EmitRecord maintenance_output(std::ofstream* predictions, std::ofstream* alerts,
                                        std::uint64_t& prediction_count,
                                        std::uint64_t& alert_count) {
  return [=, &prediction_count, &alert_count](const records::Record& record) -> Status {
    const bool prediction = record.stream == Stream::predictions;
    ++(prediction ? prediction_count : alert_count);
    if (std::ofstream* out = prediction ? predictions : alerts; out != nullptr) {
      *out << record.payload << '\n';
    }
    return Ok{};
  };
}

void run_analyze(const AnalyzeOptions& o) {
  const AnalyzeSetup setup = load_setup(o);
  analytics::Engine engine(setup.analytics);
  pipeline::MaintenanceStage maintenance(setup.maintenance, "analyze");
  MappingConfig mapping;  // what the maintenance stage matches a model's class against
  mapping.analytics_profile = o.device_class();
  SampleReader reader(o);
  auto scores = open_output(o.scores);
  auto alerts = open_output(o.alerts);
  auto aggregates = open_output(o.aggregates);
  auto predictions = open_output(o.predictions);
  std::uint64_t prediction_count = 0;
  std::uint64_t maintenance_alert_count = 0;
  const pipeline::EmitRecord emit_maintenance = maintenance_output(
      predictions.get(), alerts.get(), prediction_count, maintenance_alert_count);
  // One score column per detector that scores samples: the highest of its scores.
  const std::span<const analytics::DetectorKind> score_columns = analytics::scored_detectors();
  std::vector<double> column_scores(score_columns.size());
  if (scores) {
    *scores << "timestamp";
    for (analytics::DetectorKind k : score_columns) {
      *scores << ',' << analytics::detector_name(k) << "_score";
    }
    *scores << ",anomaly_score,alerting\n";
  }
  analytics::Output result;
  Sample sample;
  std::string time_text;
  std::int64_t last_tick = std::numeric_limits<std::int64_t>::min();
  std::uint64_t rows = 0;
  const auto drain = [&] {
    write_alerts(alerts.get(), result);
    if (aggregates) {
      for (const analytics::Aggregate& a : result.aggregates) {
        *aggregates << records::encode_aggregate(a, "analyze") << '\n';
      }
    }
    result.alerts.clear();
    result.aggregates.clear();
  };
  while (reader.next(sample, time_text)) {
    ++rows;
    // Event time is the clock: tick once per second of it, as the daemon does.
    if (sample.timestamp_ms >= last_tick + 1000) {
      engine.on_tick(sample.timestamp_ms, result);
      last_tick = sample.timestamp_ms;
    }
    engine.on_sample(sample, o.profile, sample.timestamp_ms, result);
    (void)maintenance.on_sample(sample, mapping, emit_maintenance);  // the files cannot refuse
    if (scores) {
      std::fill(column_scores.begin(), column_scores.end(), 0.0);
      for (const analytics::ScoreEntry& s : result.scores) {
        for (std::size_t k = 0; k < score_columns.size(); ++k) {
          if (score_columns[k] == s.kind) {
            column_scores[k] = std::max(column_scores[k], s.score);
          }
        }
      }
      *scores << time_text;
      for (double v : column_scores) {
        *scores << ',' << fmt::format("{:.6g}", v);
      }
      *scores << ',' << fmt::format("{:.15g}", result.anomaly_score) << ','
              << (result.alerting ? 1 : 0) << '\n';
    }
    drain();
  }
  engine.flush(result);
  drain();
  const analytics::EngineStats s = engine.stats();
  fmt::print(stderr,
             "analyzed rows={} devices={} readings={} invalid_values={} late_samples={} "
             "alerts_raised={} alerts_updated={} alerts_cleared={} aggregates={} "
             "maintenance_models={} predictions={} maintenance_alerts={}\n",
             rows, s.devices_created, s.readings, s.invalid_values, s.late_samples, s.alerts_raised,
             s.alerts_updated, s.alerts_cleared, s.aggregates, setup.maintenance.size(),
             prediction_count, maintenance_alert_count);
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Run the analytics over a CSV or JSONL file of samples; write scores and alerts");
  cmd->add_option("--config", options->config,
                  "Gateway config, or a file with just an `analytics:` section (default: the "
                  "built-in defaults)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--profile", options->profile, "Analytics profile (default: `default`)");
  cmd->add_option("--input", options->input, "Samples: .csv (header row) or .jsonl")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--scores", options->scores,
                  "Write per-row scores (CSV: timestamp, <detector>_score..., anomaly_score, "
                  "alerting)");
  cmd->add_option("--baseline-rows", options->baseline_rows,
                  "Commissioning: the first N rows of each device teach the models what is "
                  "normal and raise no alert (overrides every profile's baseline)");
  cmd->add_option("--alerts", options->alerts, "Write the alerts it would raise (JSONL)");
  cmd->add_option("--aggregates", options->aggregates, "Write the window aggregates (JSONL)");
  cmd->add_option("--predictions", options->predictions,
                  "Write the maintenance models' predictions (JSONL)");
  cmd->add_option("--model", options->model,
                  "Run this remaining-life model for the --profile device class (instead of "
                  "the config's analytics.maintenance)")
      ->check(CLI::ExistingFile);
  analytics::MaintenanceConfig& m = options->model_settings;
  cmd->add_option("--horizon", m.horizon, "With --model: alert below this remaining life")
      ->capture_default_str();
  cmd->add_option("--clear-margin", m.clear_margin, "With --model: clear above horizon + this")
      ->capture_default_str();
  cmd->add_option("--cadence", m.cadence_samples, "With --model: predict every N samples")
      ->capture_default_str();
  cmd->add_option("--min-history", m.min_history, "With --model: samples before predicting")
      ->capture_default_str();
  cmd->add_option("--device", options->device,
                  "Device name when the input has no `device` column/field")
      ->capture_default_str();
  cmd->add_option("--timestamp-column", options->timestamp_column,
                  "Name of the timestamp column/field")
      ->capture_default_str();
  cmd->callback([options] { run_analyze(*options); });
}

}  // namespace edgegw::app
