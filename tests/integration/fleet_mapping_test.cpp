// The simulator's fleet through the example gateway config: every message it sends is
// mapped, and exactly the bad payloads it labels go to the dead-letter topic.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "gateway_stack.hpp"

using nlohmann::json;

namespace {

struct FleetRun {
  std::vector<json> bad_payloads;       // labels of type bad_payload
  std::map<std::string, json> devices;  // labels of type device, by device
  std::size_t messages = 0;
};

FleetRun run_simulator(const edgegw::test::GatewayStack& stack, bool bad_payloads) {
  const auto labels = stack.dir.path() / "labels.jsonl";
  std::vector<std::string> args = {EDGEGW_SIM_BINARY,
                                   "--fleet",
                                   EDGEGW_SOURCE_DIR "/config/fleet.example.yaml",
                                   "--broker",
                                   stack.mosquitto.uri(),
                                   "--accelerated",
                                   "--duration",
                                   "1800",
                                   "--labels",
                                   labels.string()};
  if (!bad_payloads) {
    args.emplace_back("--no-bad-payloads");
  }
  edgegw::test::ChildProcess sim(args, stack.dir.path() / "sim.out", stack.dir.path() / "sim.err");
  REQUIRE(sim.wait_for(std::chrono::seconds(120)) == 0);
  FleetRun run;
  std::ifstream in(labels);
  for (std::string line; std::getline(in, line);) {
    const json label = json::parse(line);
    if (label.at("type") == "bad_payload") {
      run.bad_payloads.push_back(label);
    } else if (label.at("type") == "device") {
      run.messages += label.at("messages").get<std::size_t>();
      run.devices[label.at("device")] = label;
    }
  }
  return run;
}

// The example config reads its addresses from the environment.
void point_example_config_at(const edgegw::test::GatewayStack& stack, int http_port) {
  ::setenv("EDGEGW_MQTT_BROKER", stack.mosquitto.uri().c_str(), 1);
  ::setenv("EDGEGW_KAFKA_BOOTSTRAP", stack.kafka.bootstrap().c_str(), 1);
  ::setenv("EDGEGW_BUFFER_DIR", (stack.dir.path() / "example-buffer").c_str(), 1);
  ::setenv("EDGEGW_HTTP_LISTEN", fmt::format("127.0.0.1:{}", http_port).c_str(), 1);
  ::setenv("EDGEGW_GATEWAY_ID", "fleet-test", 1);
}

std::map<std::string, std::set<std::int64_t>> telemetry_seqs(const edgegw::test::KafkaReader& r) {
  std::map<std::string, std::set<std::int64_t>> seqs;
  for (const auto& record : r.records()) {
    const json doc = json::parse(record.value);
    if (doc.contains("seq")) {
      seqs[doc.at("device")].insert(doc.at("seq").get<std::int64_t>());
    }
  }
  return seqs;
}

}  // namespace

TEST_CASE("the example config maps every message of the simulated fleet", "[integration][fleet]") {
  const bool bad_payloads = GENERATE(false, true);
  INFO("bad payloads " << (bad_payloads ? "on" : "off"));
  edgegw::test::GatewayStack stack;
  const int http_port = edgegw::test::free_loopback_port();
  point_example_config_at(stack, http_port);
  edgegw::test::GatewayProcess gateway(EDGEGW_SOURCE_DIR "/config/gateway.example.yaml",
                                       stack.dir.path() / "gateway.log", http_port);
  REQUIRE(gateway.wait_ready(std::chrono::seconds(30)));
  const FleetRun run = run_simulator(stack, bad_payloads);
  REQUIRE(run.messages > 1000);
  CHECK(bad_payloads == !run.bad_payloads.empty());

  // Wait until the gateway has taken every message, then until Kafka has them all.
  REQUIRE(gateway.wait_metric("mqtt_messages_total", static_cast<double>(run.messages),
                              std::chrono::seconds(120)) == static_cast<double>(run.messages));
  edgegw::test::KafkaReader dead(stack.kafka.bootstrap(), "edgegw.dead-letter");
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  dead.read_until(run.bad_payloads.size(), std::chrono::seconds(60));
  dead.drain(std::chrono::seconds(2));
  telemetry.drain(std::chrono::seconds(3));

  // Exactly the labelled bad payloads are dead-lettered, each once, for its topic.
  std::multiset<std::string> expected_topics, dead_topics;
  for (const json& label : run.bad_payloads) {
    expected_topics.insert(label.at("topic").get<std::string>());
  }
  for (const auto& record : dead.records()) {
    const json doc = json::parse(record.value);
    INFO(doc.dump());
    dead_topics.insert(doc.at("topic").get<std::string>());
  }
  CHECK(dead_topics == expected_topics);

  // Every sequence number of every device reached the telemetry topic, except the
  // messages a bad payload spoilt as a whole.
  std::map<std::string, std::set<std::int64_t>> spoilt;
  for (const json& label : run.bad_payloads) {
    if (label.at("sensor").is_null()) {
      spoilt[label.at("device")].insert(label.at("seq").get<std::int64_t>());
    }
  }
  const auto seen = telemetry_seqs(telemetry);
  for (const auto& [device, label] : run.devices) {
    INFO(device);
    const auto it = seen.find(device);
    REQUIRE(it != seen.end());
    for (std::int64_t seq = label.at("first_seq"); seq <= label.at("last_seq"); ++seq) {
      const bool arrived = it->second.count(seq) == 1;
      const bool spoiled = spoilt[device].count(seq) == 1;
      CHECK(arrived != spoiled);
    }
  }
  // A wholly spoilt message hides its sequence number: the gap counter sees it missing,
  // unless it was the device's last message.
  std::size_t hidden = 0;
  for (const auto& [device, seqs] : spoilt) {
    hidden += static_cast<std::size_t>(
        std::count_if(seqs.begin(), seqs.end(), [&, d = device](std::int64_t seq) {
          return seq < run.devices.at(d).at("last_seq").get<std::int64_t>();
        }));
  }
  CHECK(gateway.metric("sequence_gaps_total") == static_cast<double>(hidden));
  CHECK(gateway.terminate() == 0);
}
