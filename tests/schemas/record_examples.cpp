// Prints one example of every record the gateway forwards, each line
// `<schema file>\t<record>`, for check_records.py to validate against docs/schemas.
// The records come from the real encoders, and the alerts and aggregates from a real
// analytics engine fed a signal with a spike, a stuck run, a rule breach and a silence,
// so that every lifecycle state and every detector's evidence is covered.

#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include "config/analytics_section.hpp"
#include "config/config_node.hpp"
#include "edgegw/analytics/engine.hpp"
#include "forward/cursor_record.hpp"
#include "forward/log_health_alerts.hpp"
#include "mapping/map_outcome.hpp"
#include "records/analytics_encoding.hpp"
#include "records/dead_letter_record.hpp"
#include "records/maintenance_records.hpp"
#include "records/telemetry_record.hpp"

namespace {

using namespace edgegw;

constexpr std::int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr std::string_view kGateway = "gw-test";

void print(std::string_view schema_file, const std::string& record) {
  std::cout << schema_file << '\t' << record << '\n';
}

Sample sample_at(int i, double temperature, double pressure) {
  Sample s;
  s.device = "pump-001";
  s.timestamp_ms = kStart + std::int64_t{i} * 1000;
  s.tags = {{"site", "north"}};
  s.readings = {{"temperature", temperature, "degC"}, {"pressure", pressure, "bar"}};
  s.sequence = i;
  return s;
}

// A smooth signal with a spike at 400, a stuck temperature from 600, a rule breach from
// 900, then silence, and another device's death and birth: enough to raise, update and clear alerts
// of every detector.
void print_analytics_records() {
  const auto root = config::ConfigNode::load_string(R"(
analytics:
  window: 60s
  profiles:
    default:
      stuck: { min_samples: 20, min_duration: 20s }
      rules:
        - { name: hot, when: "temperature > 95", for: 10s, clear: 90, severity: critical }
)",
                                                    "record_examples.yaml");
  analytics::Engine engine(config::parse_analytics_section(root.child("analytics")));
  analytics::Output out;
  // As for a device with metadata (the health alerts below have none).
  const std::vector<std::pair<std::string, std::string>> tags = {{"site", "north"}, {"line", "L1"}};
  const auto emit = [&out, &tags] {
    for (const auto& a : out.aggregates)
      print("aggregate.schema.json", records::encode_aggregate(a, kGateway, tags));
    for (const auto& a : out.alerts)
      print("alert.schema.json", records::encode_alert(a, kGateway, tags));
    out.clear();
  };
  for (int i = 0; i < 1200; ++i) {
    double temperature = 70 + 5 * std::sin(i / 30.0) + 0.3 * std::cos(i * 7.1);
    const double pressure = 2 + 0.1 * std::sin(i / 30.0) + 0.01 * std::cos(i * 3.3);
    if (i == 400)
      temperature += 40;
    if (i >= 600 && i < 700)
      temperature = 72.5;
    if (i >= 900 && i < 1000)
      temperature = 99;
    if (i == 1100)
      temperature = std::numeric_limits<double>::quiet_NaN();
    const Sample s = sample_at(i, temperature, pressure);
    engine.on_sample(s, "", s.timestamp_ms, out);
    engine.on_tick(s.timestamp_ms, out);
    emit();
  }
  engine.on_tick(kStart + 1'300'000, out);  // silent for 100 s
  emit();
  // A device's death certificate, then its birth: the offline alert and its clear.
  PresenceChange death{
      "valve-7",
      Presence::offline,
      "death_certificate",
      {{"group", "plant"}, {"edge_node", "node1"}, {"device", "valve-7"}, {"message", "DDEATH"}}};
  engine.on_presence(death, "", kStart + 1'300'000, out);
  PresenceChange birth = death;
  birth.presence = Presence::online;
  birth.reason = "birth_certificate";
  birth.evidence.back().second = "DBIRTH";
  engine.on_presence(birth, "", kStart + 1'310'000, out);
  emit();
  engine.flush(out);
  emit();
}

void print_health_alerts() {
  forward::LogHealthAlerts health(std::string(kGateway), std::chrono::minutes(5),
                                  std::chrono::seconds(30));
  store::LogStats stats;
  stats.dropped_records = 10;
  stats.corrupt_ranges = 1;
  stats.corrupt_bytes = 100;
  for (const auto& a : health.observe(stats, kStart))
    print("alert.schema.json", records::encode_alert(a, kGateway));
  for (const auto& a : health.observe(stats, kStart + 600'000))
    print("alert.schema.json", records::encode_alert(a, kGateway));
}

void print_maintenance_records() {
  analytics::Prediction p;
  p.device = "pump-001";
  p.timestamp_ms = kStart;
  p.rul = 0.8;
  p.rul_lower = 0.2;
  p.rul_upper = 1.6;
  p.unit = "hours";
  p.model_name = "pump-rul";
  p.model_version = "1";
  p.samples_seen = 90;
  print("prediction.schema.json", records::encode_prediction(p, kGateway));
  p.model_name = "trend-vibration";  // a trend whose slope could be zero: no upper bound
  p.rul_upper = std::numeric_limits<double>::infinity();
  print("prediction.schema.json", records::encode_prediction(p, kGateway));

  // A maintenance alert as MaintenanceAlertGate makes it: an estimate past the failure
  // point, with its model and unit.
  analytics::Alert a;
  a.origin = analytics::AlertOrigin::maintenance;
  a.device = "pump-001";
  a.source = "maintenance:pump-rul";
  a.id = analytics::make_alert_id(a.device, a.source, kStart);
  a.profile = "pump";
  a.raised_ms = kStart;
  a.event_ms = kStart;
  a.window_ms = 900'000;
  a.score = 100;
  a.statistic = -0.5;
  a.threshold = 1;
  a.parameters = {{"horizon", 1}, {"rul_lower", -1}, {"rul_upper", 0.4}};
  a.model = analytics::ModelRef{"pump-rul", "1"};
  a.unit = "hours";
  a.message = "predicted remaining life -0.5 hours is within the 1 hours horizon";
  for (auto state : {analytics::AlertState::raised, analytics::AlertState::updated,
                     analytics::AlertState::cleared}) {
    a.state = state;
    print("alert.schema.json", records::encode_alert(a, kGateway));
  }
}

void print_telemetry_and_dead_letters() {
  mapping::MapOutcome outcome;
  outcome.has_sample = true;
  outcome.sample = sample_at(1, 70.5, 2.0);
  print("telemetry.schema.json",
        records::encode_telemetry(outcome.sample, kGateway, "pumps", kStart));

  outcome.problems = {
      {mapping::DeadLetterReason::wrong_type, "field 'temperature' is a string, not a number"}};
  print("dead_letter.schema.json",
        records::encode_dead_letter(outcome, "factory/north/pump/pump-001/telemetry",
                                    "{\"temperature\":\"hot\"}", kGateway, kStart));
  mapping::MapOutcome unmatched;
  unmatched.problems = {{mapping::DeadLetterReason::no_mapping, "no mapping matches the topic"}};
  print("dead_letter.schema.json",
        records::encode_dead_letter(unmatched, "other/topic", std::string("\xff\x00\x01", 3),
                                    kGateway, kStart));
  print("dead_letter.schema.json",
        records::encode_log_loss("log_damaged", "CRC mismatch in segment 3", 100, 120, kGateway,
                                 kStart));
}

void print_cursor_record() {
  print("cursor.schema.json", forward::encode_cursor_record({12345, "1796641460220-17"}));
}

}  // namespace

int main() {
  print_telemetry_and_dead_letters();
  print_analytics_records();
  print_health_alerts();
  print_maintenance_records();
  print_cursor_record();
  return 0;
}
