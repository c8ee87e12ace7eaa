// Sparkplug B through the mapper: births and data become samples of the device the topic
// names, metrics map to sensors by name, and what cannot be read is a dead letter.

#include <catch2/catch.hpp>

#include "mapping/mapper.hpp"
#include "support/sparkplug_payloads.hpp"
#include "unit/gateway/mapping/mappings_yaml.hpp"

using edgegw::mapping::DeadLetterReason;
using edgegw::mapping::MapOutcome;
using edgegw::mapping::Mapper;
using edgegw::test::mappings;
using namespace edgegw::test;

namespace {

constexpr std::int64_t kArrival = 1700000000000;

const std::string kSparkplug = R"(
- name: line1
  topic: "spBv1.0/plant/#"
  format: sparkplug
  sensors:
    - { name: motor_temp, field: Motor/Temperature, unit: degC, min: -40, max: 200 }
    - { name: motor_state, field: Motor/State, values: { stopped: 0, running: 1 } }
)";

std::string birth(double temperature) {
  SparkplugPayload p;
  p.set_timestamp(kArrival - 1000);
  add_double(p, "Motor/Temperature", 10, temperature);
  SparkplugMetric& state = *p.add_metrics();
  state.set_name("Motor/State");
  state.set_alias(11);
  state.set_datatype(edgegw::sparkplug::proto::String);
  state.set_string_value("running");
  add_double(p, "Motor/Unmapped", 12, 5.0);
  return serialized(p);
}

std::string data(std::uint64_t alias, double value) {
  SparkplugPayload p;
  p.set_timestamp(kArrival - 10);
  add_double(p, "", alias, value);
  return serialized(p);
}

std::string node_birth() {
  SparkplugPayload p;
  add_bd_seq(p, 0);
  return serialized(p);
}

}  // namespace

TEST_CASE("a Sparkplug device's birth and data become its samples", "[unit]") {
  const auto config = mappings(kSparkplug);
  Mapper mapper(config);
  MapOutcome out;
  mapper.map("spBv1.0/plant/NBIRTH/node1", node_birth(), kArrival, out);
  CHECK(out.problems.empty());  // a node birth without the mapping's metrics is fine
  CHECK_FALSE(out.has_sample);

  mapper.map("spBv1.0/plant/DBIRTH/node1/motor-1", birth(40.0), kArrival, out);
  REQUIRE(out.has_sample);
  CHECK(out.problems.empty());
  CHECK(out.sample.device == "motor-1");
  CHECK(out.sample.timestamp_ms == kArrival - 1000);
  REQUIRE(out.sample.readings.size() == 2);
  CHECK(out.sample.readings[0].sensor == "motor_temp");
  CHECK(out.sample.readings[0].value == 40.0);
  CHECK(out.sample.readings[1].value == 1.0);  // "running", by the sensor's values
  const std::vector<std::pair<std::string, std::string>> tags{{"group", "plant"},
                                                              {"edge_node", "node1"}};
  CHECK(out.sample.tags == tags);

  mapper.map("spBv1.0/plant/DDATA/node1/motor-1", data(10, 42.5), kArrival, out);
  REQUIRE(out.has_sample);
  REQUIRE(out.sample.readings.size() == 1);
  CHECK(out.sample.readings[0].value == 42.5);
  CHECK(out.sample.timestamp_ms == kArrival - 10);

  SECTION("a value out of range is a dead letter of that reading") {
    mapper.map("spBv1.0/plant/DDATA/node1/motor-1", data(10, 900.0), kArrival, out);
    REQUIRE(out.problems.size() == 1);
    CHECK(out.problems[0].reason == DeadLetterReason::out_of_range);
  }
  SECTION("deaths and commands are nothing to report") {
    mapper.map("spBv1.0/plant/DCMD/node1/motor-1", data(10, 1.0), kArrival, out);
    CHECK((out.problems.empty() && !out.has_sample));
    mapper.map("spBv1.0/plant/DDEATH/node1/motor-1", serialized(SparkplugPayload{}), kArrival, out);
    CHECK((out.problems.empty() && !out.has_sample));
    SECTION("and data after a death waits for the next birth") {
      mapper.map("spBv1.0/plant/DDATA/node1/motor-1", data(10, 42.5), kArrival, out);
      REQUIRE(out.problems.size() == 1);
      CHECK(out.problems[0].reason == DeadLetterReason::no_birth);
      CHECK(out.sample.device == "motor-1");  // the dead letter is keyed by its device
    }
  }
  SECTION("data naming none of the mapping's metrics is a no_readings dead letter") {
    mapper.map("spBv1.0/plant/DDATA/node1/motor-1", data(12, 5.0), kArrival, out);
    REQUIRE(out.problems.size() == 1);
    CHECK(out.problems[0].reason == DeadLetterReason::no_readings);
  }
}

TEST_CASE("Sparkplug data before its birth, and garbage, are dead letters", "[unit]") {
  const auto config = mappings(kSparkplug);
  Mapper mapper(config);
  MapOutcome out;
  mapper.map("spBv1.0/plant/DDATA/node1/motor-1", data(10, 42.5), kArrival, out);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::no_birth);
  CHECK_THAT(out.problems[0].detail, Catch::Contains("no NBIRTH seen for edge node 'node1'"));
  mapper.map("spBv1.0/plant/NBIRTH/node1", "\xff\xff\xff", kArrival, out);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::decode_error);
  mapper.map("spBv1.0/plant/STATE", "ONLINE", kArrival, out);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::decode_error);
}

TEST_CASE("accept_unlisted_sensors takes every numeric metric but the protocol's", "[unit]") {
  const auto config = mappings(R"(
- name: all
  topic: "spBv1.0/+/#"
  format: sparkplug
  accept_unlisted_sensors: true
)");
  Mapper mapper(config);
  MapOutcome out;
  SparkplugPayload p;
  add_bd_seq(p, 3);
  add_double(p, "Supply/Voltage", 1, 229.5);
  SparkplugMetric& rebirth = *p.add_metrics();
  rebirth.set_name("Node Control/Rebirth");
  rebirth.set_datatype(edgegw::sparkplug::proto::Boolean);
  rebirth.set_boolean_value(false);
  mapper.map("spBv1.0/any/NBIRTH/node7", serialized(p), kArrival, out);
  REQUIRE(out.has_sample);
  CHECK(out.sample.device == "node7");
  REQUIRE(out.sample.readings.size() == 1);
  CHECK(out.sample.readings[0].sensor == "Supply/Voltage");
}

TEST_CASE("a sparkplug mapping refuses what the Sparkplug message decides", "[unit]") {
  auto error_of = [](const std::string& extra, const std::string& topic = "spBv1.0/plant/#") {
    try {
      (void)mappings("- name: x\n  topic: \"" + topic + "\"\n  format: sparkplug\n" + extra +
                     "  sensors: [{ name: t, field: T }]\n");
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of("").empty());
  CHECK_THAT(error_of("", "plant/{device}"), Catch::Contains("m.yaml:2"));
  CHECK_THAT(error_of("", "plant/{device}"), Catch::Contains("spBv1.0/"));
  CHECK_THAT(error_of("  sequence: seq\n"), Catch::Contains("m.yaml:4"));
  CHECK_THAT(error_of("  tags: [site]\n"), Catch::Contains("edge_node"));
  CHECK_THAT(error_of("  timestamp: {field: ts}\n"), Catch::Contains("timestamp"));
}

TEST_CASE("Sparkplug births and deaths say which devices came and went", "[unit]") {
  using edgegw::Presence;
  const auto config = mappings(kSparkplug);
  Mapper mapper(config);
  MapOutcome out;
  const auto device_of = [&out](std::size_t i) { return out.presence.at(i).device; };
  mapper.map("spBv1.0/plant/NBIRTH/node1", node_birth(), kArrival, out);
  REQUIRE(out.presence.size() == 1);
  CHECK(device_of(0) == "node1");
  CHECK(out.presence[0].presence == Presence::online);
  CHECK(out.presence[0].reason == "birth_certificate");

  mapper.map("spBv1.0/plant/DBIRTH/node1/motor-1", birth(40.0), kArrival, out);
  REQUIRE(out.presence.size() == 1);
  CHECK(out.has_sample);  // a birth is also the device's first sample
  CHECK(device_of(0) == "motor-1");
  mapper.map("spBv1.0/plant/DBIRTH/node1/motor-2", birth(41.0), kArrival, out);
  mapper.map("spBv1.0/plant/DDATA/node1/motor-1", data(10, 42.5), kArrival, out);
  CHECK(out.presence.empty());

  mapper.map("spBv1.0/plant/DDEATH/node1/motor-1", serialized(SparkplugPayload{}), kArrival, out);
  REQUIRE(out.presence.size() == 1);
  CHECK(device_of(0) == "motor-1");
  CHECK(out.presence[0].presence == Presence::offline);
  CHECK(out.presence[0].reason == "death_certificate");
  const std::vector<std::pair<std::string, std::string>> evidence{
      {"group", "plant"}, {"edge_node", "node1"}, {"message", "DDEATH"}, {"device", "motor-1"}};
  CHECK(out.presence[0].evidence == evidence);
  CHECK_FALSE(out.has_sample);
  CHECK(out.problems.empty());
  // A second death of the same device ends nothing.
  mapper.map("spBv1.0/plant/DDEATH/node1/motor-1", serialized(SparkplugPayload{}), kArrival, out);
  CHECK(out.presence.empty());

  SECTION("an NDEATH of an earlier session (its bdSeq) ends nothing") {
    SparkplugPayload stale;
    add_bd_seq(stale, 7);
    mapper.map("spBv1.0/plant/NDEATH/node1", serialized(stale), kArrival, out);
    CHECK(out.presence.empty());
  }
  SECTION("an NDEATH ends the node and the devices it has born") {
    SparkplugPayload death;
    add_bd_seq(death, 0);
    mapper.map("spBv1.0/plant/NDEATH/node1", serialized(death), kArrival, out);
    REQUIRE(out.presence.size() == 2);
    CHECK(device_of(0) == "node1");
    CHECK(device_of(1) == "motor-2");
    CHECK(out.presence[1].evidence.back() ==
          std::pair<std::string, std::string>{"device", "motor-2"});
    CHECK(out.problems.empty());
  }
}
