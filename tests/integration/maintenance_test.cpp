// Predictive maintenance in the data path: a trained model (the FD001 ridge model that
// ships in models/) predicts each engine's remaining life on a cadence, predictions reach
// their topic, and a maintenance alert is raised inside the horizon.

#include <catch2/catch.hpp>

#include "gateway_stack.hpp"

using nlohmann::json;

namespace {

const std::vector<std::string> kSensors = {"s2",  "s3",  "s4",  "s6",  "s7",  "s8",  "s9", "s11",
                                           "s12", "s13", "s14", "s15", "s17", "s20", "s21"};
// Typical FD001 sensor levels, so that features sit in the model's range.
const std::vector<double> kLevels = {642.7, 1590.5, 1408.9, 21.61, 553.4, 2388.1, 9065.2, 47.54,
                                     521.4, 2388.1, 8143.8, 8.442, 393.2, 38.82,  23.29};

std::string engine_config(const edgegw::test::GatewayStack& stack, int http_port) {
  std::string sensors;
  for (const std::string& s : kSensors) {
    sensors += fmt::format("      - {{ name: {0}, field: {0} }}\n", s);
  }
  return fmt::format(R"(gateway: {{ id: gw-pdm }}
mqtt: {{ broker: "{}", client_id: edgegw-pdm }}
mappings:
  - name: engines
    topic: "engine/{{device}}/cycle"
    format: json
    sequence: cycle
    timestamp: {{ field: ts }}
    max_sample_age: none   # the cycles replay a time line of November 2023
    analytics_profile: turbofan
    sensors:
      - {{ name: setting1, field: setting1 }}
      - {{ name: setting2, field: setting2 }}
      - {{ name: setting3, field: setting3 }}
{}kafka: {{ bootstrap_servers: "{}" }}
buffer: {{ directory: "{}" }}
http: {{ listen: "127.0.0.1:{}" }}
analytics:
  enabled: false   # the anomaly detectors; maintenance models run either way
  maintenance:
    - device_class: turbofan
      model_file: {}
      cadence_samples: 10
      min_history: 30
      horizon: 1000
)",
                     stack.mosquitto.uri(), sensors, stack.kafka.bootstrap(),
                     (stack.dir.path() / "pdm-buffer").string(), http_port,
                     EDGEGW_SOURCE_DIR "/models/turbofan-fd001-ridge.json");
}

std::string cycle_payload(int cycle) {
  json doc = {{"cycle", cycle},
              {"ts", 1700000000000 + cycle * 60000},
              {"setting1", 0.0},
              {"setting2", 0.0003},
              {"setting3", 100.0}};
  for (std::size_t i = 0; i < kSensors.size(); ++i) {
    // A slow drift, as wear moves the sensors, plus a little variation.
    doc[kSensors[i]] =
        kLevels[i] * (1.0 + 0.00005 * cycle + 0.0001 * ((cycle * 7 + static_cast<int>(i)) % 5));
  }
  return doc.dump();
}

}  // namespace

TEST_CASE(
    "a maintenance model predicts remaining life on its cadence and raises an alert "
    "inside the horizon",
    "[integration][maintenance]") {
  edgegw::test::GatewayStack stack;
  const int http_port = edgegw::test::free_loopback_port();
  const auto config = stack.dir.path() / "pdm.yaml";
  edgegw::test::write_file(config, engine_config(stack, http_port));
  edgegw::test::GatewayProcess gateway(config, stack.dir.path() / "pdm.log", http_port);
  REQUIRE(gateway.wait_ready(std::chrono::seconds(30)));
  {
    edgegw::test::MqttPublisher engines(stack.mosquitto.uri());
    for (int cycle = 1; cycle <= 120; ++cycle) {
      engines.publish("engine/unit-7/cycle", cycle_payload(cycle));
    }
    engines.wait_all();
  }
  edgegw::test::KafkaReader predictions(stack.kafka.bootstrap(), "edgegw.predictions");
  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  // Cycles 30..120 every 10 samples: 10 predictions (the cadence counts from the first).
  predictions.read_until(9, std::chrono::seconds(60));
  predictions.drain(std::chrono::seconds(2));
  REQUIRE(predictions.records().size() >= 9);
  CHECK(predictions.records().size() <= 12);
  for (const auto& r : predictions.records()) {
    const json doc = json::parse(r.value);
    CHECK(r.key == "unit-7");
    CHECK(doc.at("schema") == "edgegw.prediction/v1");
    CHECK(doc.at("unit") == "cycles");
    CHECK(doc.at("model").at("name") == "turbofan-fd001-ridge");
    CHECK(doc.at("rul_lower").get<double>() <= doc.at("rul").get<double>());
    CHECK(doc.at("rul").get<double>() <= doc.at("rul_upper").get<double>());
  }
  alerts.drain(std::chrono::seconds(2));
  std::vector<json> maintenance_alerts;
  for (const auto& r : alerts.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("source") == "maintenance:turbofan-fd001-ridge") {
      maintenance_alerts.push_back(doc);
    }
  }
  REQUIRE_FALSE(maintenance_alerts.empty());
  CHECK(maintenance_alerts.front().at("state") == "raised");
  CHECK(maintenance_alerts.front().at("threshold") == 1000);
  CHECK(gateway.terminate() == 0);
}
