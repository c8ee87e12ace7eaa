// The simulator's Sparkplug B pumps (config/fleet.sparkplug.yaml) through the example
// gateway config: every reading of every DBIRTH and DDATA reaches the telemetry topic,
// and each dropout (a DDEATH, then a DBIRTH when the pump is back) is an offline alert
// raised and cleared. The clean stop's NDEATHs take the edge nodes offline.

#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "simulated_fleet.hpp"

using nlohmann::json;

namespace {

// Of the labels file: per device, its dropouts, and how many it came back from.
struct Dropouts {
  std::map<std::string, int> started;
  std::map<std::string, int> ended;
};

Dropouts read_dropouts(const std::filesystem::path& labels,
                       const std::map<std::string, json>& devices) {
  Dropouts d;
  std::ifstream in(labels);
  for (std::string line; std::getline(in, line);) {
    const json label = json::parse(line);
    if (label.at("type") == "anomaly" && label.at("kind") == "dropout") {
      const std::string device = label.at("device");
      ++d.started[device];
      // Back before the run ended: its next tick was a DBIRTH.
      if (label.at("end_ms") < devices.at(device).at("last_ts_ms")) {
        ++d.ended[device];
      }
    }
  }
  return d;
}

// Offline alert records per device: raised by which message, cleared by which reason.
struct OfflineAlerts {
  std::map<std::string, std::map<std::string, int>> raised_by;  // device → message → count
  std::map<std::string, int> cleared_by_birth;
};

OfflineAlerts read_offline_alerts(const edgegw::test::KafkaReader& alerts) {
  OfflineAlerts a;
  for (const auto& record : alerts.records()) {
    const json doc = json::parse(record.value);
    if (doc.at("source") != "offline") {
      continue;
    }
    const std::string device = doc.at("device");
    if (doc.at("state") == "raised") {
      ++a.raised_by[device][doc.at("context").at("message")];
    } else if (doc.at("state") == "cleared" && doc.value("reason", "") == "birth_certificate") {
      ++a.cleared_by_birth[device];
    }
  }
  return a;
}

int count(const std::map<std::string, int>& counts, const std::string& key) {
  const auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

TEST_CASE("the simulated Sparkplug pumps: every reading mapped, dropouts as offline alerts",
          "[integration][fleet][sparkplug]") {
  edgegw::test::GatewayStack stack;
  const auto example_gateway = edgegw::test::start_example_gateway(stack);
  edgegw::test::GatewayProcess& gateway = *example_gateway;
  const edgegw::test::FleetRun run =
      edgegw::test::run_simulator(stack, EDGEGW_SOURCE_DIR "/config/fleet.sparkplug.yaml", 3600);
  REQUIRE(run.devices.size() == 8);
  REQUIRE(gateway.wait_metric("mqtt_messages_total", static_cast<double>(run.messages),
                              std::chrono::seconds(120)) == static_cast<double>(run.messages));

  // Every DBIRTH and DDATA is one telemetry record: the device's seq counts them.
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  edgegw::test::KafkaReader dead(stack.kafka.bootstrap(), "edgegw.dead-letter");
  std::size_t readings_messages = 0;
  for (const auto& [device, label] : run.devices) {
    readings_messages += label.at("last_seq").get<std::size_t>();
  }
  REQUIRE(telemetry.read_until(readings_messages, std::chrono::seconds(120)) == readings_messages);
  std::map<std::string, std::size_t> per_device;
  for (const auto& record : telemetry.records()) {
    const json doc = json::parse(record.value);
    ++per_device[doc.at("device")];
    CHECK(doc.at("tags").at("group") == "plant1");
  }
  for (const auto& [device, label] : run.devices) {
    INFO(device);
    CHECK(per_device[device] == label.at("last_seq").get<std::size_t>());
  }
  dead.drain(std::chrono::seconds(1));
  INFO("first dead letter: " << (dead.records().empty() ? "" : dead.records().front().value));
  CHECK(dead.records().empty());
  CHECK(gateway.metric("sparkplug_seq_gaps_total") == 0.0);  // one seq per node, no loss

  // Each dropout's DDEATH raised the pump's offline alert, and its DBIRTH cleared it.
  const Dropouts dropouts = read_dropouts(stack.dir.path() / "labels.jsonl", run.devices);
  REQUIRE_FALSE(dropouts.started.empty());
  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.drain(std::chrono::seconds(3));
  OfflineAlerts offline = read_offline_alerts(alerts);
  std::size_t returns = 0;
  for (const auto& [device, label] : run.devices) {
    INFO(device);
    CHECK(count(offline.raised_by[device], "DDEATH") == count(dropouts.started, device));
    CHECK(count(offline.cleared_by_birth, device) == count(dropouts.ended, device));
    returns += static_cast<std::size_t>(count(dropouts.ended, device));
  }
  CHECK(returns > 0);
  // The clean stop: each edge node's NDEATH takes the node itself offline.
  CHECK(count(offline.raised_by["pump-node-01"], "NDEATH") == 1);
  CHECK(count(offline.raised_by["pump-node-02"], "NDEATH") == 1);
  CHECK(gateway.terminate() == 0);
}
