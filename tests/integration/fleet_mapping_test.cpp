// The simulator's example fleets (the plant's machines, the farm's field stations) through
// the example gateway config: every message they send is mapped, and every sequence
// number of every device reaches the telemetry topic.
// Bad payloads have their own test (fleet_dead_letter_test.cpp), with rates high enough
// to cover every kind on every payload format.

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "simulated_fleet.hpp"

using nlohmann::json;

namespace {

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

void check_every_message_mapped(const std::filesystem::path& fleet, int duration_s) {
  edgegw::test::GatewayStack stack;
  const auto example_gateway = edgegw::test::start_example_gateway(stack);
  edgegw::test::GatewayProcess& gateway = *example_gateway;
  const edgegw::test::FleetRun run =
      edgegw::test::run_simulator(stack, fleet, duration_s, {"--no-bad-payloads"});
  REQUIRE(run.messages > 1000);
  CHECK(run.bad_payloads.empty());

  // Wait until the gateway has taken every message, then until Kafka has them all.
  REQUIRE(gateway.wait_metric("mqtt_messages_total", static_cast<double>(run.messages),
                              std::chrono::seconds(120)) == static_cast<double>(run.messages));
  edgegw::test::KafkaReader dead(stack.kafka.bootstrap(), "edgegw.dead-letter");
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  telemetry.drain(std::chrono::seconds(3));
  dead.drain(std::chrono::seconds(1));
  INFO("first dead letter: " << (dead.records().empty() ? "" : dead.records().front().value));
  CHECK(dead.records().empty());

  const auto seen = telemetry_seqs(telemetry);
  for (const auto& [device, label] : run.devices) {
    INFO(device);
    const auto it = seen.find(device);
    REQUIRE(it != seen.end());
    std::size_t missing = 0;
    for (std::int64_t seq = label.at("first_seq"); seq <= label.at("last_seq"); ++seq) {
      missing += it->second.count(seq) == 1 ? 0 : 1;
    }
    CHECK(missing == 0);
    CHECK(static_cast<std::int64_t>(it->second.size()) ==
          label.at("last_seq").get<std::int64_t>() - label.at("first_seq").get<std::int64_t>() + 1);
  }
  CHECK(gateway.metric("sequence_gaps_total") == 0.0);
  CHECK(gateway.terminate() == 0);
}

}  // namespace

TEST_CASE("the example config maps every message of the simulated fleet", "[integration][fleet]") {
  check_every_message_mapped(EDGEGW_SOURCE_DIR "/config/fleet.example.yaml", 1800);
}

TEST_CASE("the example config maps every message of the field stations", "[integration][fleet]") {
  check_every_message_mapped(EDGEGW_SOURCE_DIR "/config/fleet.field.yaml", 86400);  // a day
}
