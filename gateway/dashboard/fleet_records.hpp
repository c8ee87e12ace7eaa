#pragma once
// The three record kinds the dashboard reads from Kafka, decoded from their JSON
// (docs/schemas/{alert,aggregate,prediction}.schema.json) into what it shows. Lenient
// where the page can do without a field, strict where the state depends on it: a record
// without its gateway, device, id or a known state is refused with the reason.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgegw/result.hpp"

namespace edgegw::dashboard {

enum class RecordKind { alert, aggregate, prediction };

struct AlertRecord {
  std::string gateway;
  std::string id;  // <device>/<source>/<raised>: shared by an episode's transitions
  std::string device;
  std::string source;    // ewma, rule:<name>, maintenance:<model>, health:<check>, ...
  std::string origin;    // detector | rule | maintenance | health
  std::string profile;   // the device's analytics profile: its class on the page
  std::string state;     // raised | updated | cleared
  std::string severity;  // info | warning | critical
  std::int64_t raised_ms = 0;
  std::int64_t ts_ms = 0;
  std::optional<double> score;
  std::string message;
  // statistic, threshold, p_value, window_ms, sensors, parameters, unit, model: shown as
  // they are.
  nlohmann::json evidence = nlohmann::json::object();
};

struct AggregateRecord {
  std::string gateway;
  std::string device;
  std::string sensor;
  std::int64_t window_end_ms = 0;
  std::optional<double> mean;
  std::optional<double> min;
  std::optional<double> max;
};

struct PredictionRecord {
  std::string gateway;
  std::string device;
  std::int64_t ts_ms = 0;
  double rul = 0;
  double rul_lower = 0;
  std::optional<double> rul_upper;
  std::string unit;
  std::string model;  // name and version
};

// The origin of records written before the field existed, from their source.
std::string origin_of_source(std::string_view source);

Result<AlertRecord> parse_alert(std::string_view json);
Result<AggregateRecord> parse_aggregate(std::string_view json);
Result<PredictionRecord> parse_prediction(std::string_view json);

}  // namespace edgegw::dashboard
