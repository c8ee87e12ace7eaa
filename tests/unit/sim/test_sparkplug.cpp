// The Sparkplug B device class: edge nodes per N devices, births with names and aliases,
// data by alias, a dropout as DDEATH then DBIRTH, NDEATH at a clean stop; read back with
// the gateway's own decoder, as a Sparkplug host application would.

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "sim_test_support.hpp"
#include "sparkplug/sparkplug_decoder.hpp"
#include "sparkplug_b.pb.h"

using namespace edgegw::sim;
using edgegw::sim::test::generate;
using edgegw::sim::test::Generated;
using edgegw::sim::test::quiet;
using edgegw::sim::test::small_fleet;

namespace {

FleetConfig sparkplug_fleet(int pumps, int per_node) {
  FleetConfig f = small_fleet({DeviceClass::pump}, 11);
  quiet(f);
  f.classes[0].count = pumps;
  f.classes[0].format = PayloadFormat::sparkplug;
  f.classes[0].sparkplug.group = "plant9";
  f.classes[0].sparkplug.devices_per_node = per_node;
  return f;
}

edgegw::sparkplug::proto::Payload parsed(const Message& m) {
  edgegw::sparkplug::proto::Payload p;
  REQUIRE(p.ParseFromString(m.payload));
  return p;
}

// "DBIRTH" of "spBv1.0/plant9/DBIRTH/pump-node-01/pump-001".
std::string type_of(const Message& m) {
  const auto first = m.topic.find('/', m.topic.find('/') + 1) + 1;
  return m.topic.substr(first, m.topic.find('/', first) - first);
}

}  // namespace

TEST_CASE("Sparkplug pumps: an NBIRTH per node, then each device's DBIRTH and its DDATA",
          "[unit]") {
  const Generated g = generate(sparkplug_fleet(3, 2), 30);  // ten ticks of each pump
  REQUIRE(g.messages.size() == 2 + 3 + 27);                 // two nodes' NBIRTHs, three DBIRTHs
  CHECK(g.messages[0].topic == "spBv1.0/plant9/NBIRTH/pump-node-01");
  CHECK(g.messages[1].topic == "spBv1.0/plant9/DBIRTH/pump-node-01/pump-001");
  CHECK(g.messages[2].topic == "spBv1.0/plant9/DBIRTH/pump-node-01/pump-002");
  CHECK(g.messages[3].topic == "spBv1.0/plant9/NBIRTH/pump-node-02");
  CHECK(g.messages[4].topic == "spBv1.0/plant9/DBIRTH/pump-node-02/pump-003");
  CHECK(g.messages[5].topic == "spBv1.0/plant9/DDATA/pump-node-01/pump-001");

  const auto node_birth = parsed(g.messages[0]);
  CHECK(node_birth.seq() == 0);
  REQUIRE(node_birth.metrics_size() == 1);
  CHECK(node_birth.metrics(0).name() == "bdSeq");
  const auto birth = parsed(g.messages[1]);
  CHECK(birth.seq() == 1);
  CHECK(birth.timestamp() == static_cast<std::uint64_t>(g.messages[1].event_ms));
  REQUIRE(birth.metrics_size() == 7);  // six sensors and the state
  CHECK(birth.metrics(0).name() == "flow");
  CHECK(birth.metrics(0).alias() == 1);
  CHECK(birth.metrics(0).datatype() == edgegw::sparkplug::proto::Double);
  CHECK(birth.metrics(6).name() == "state");
  CHECK(birth.metrics(6).string_value() == "running");
  const auto data = parsed(g.messages[5]);
  CHECK(data.seq() == 3);  // the node's seq: NBIRTH 0, two DBIRTHs, then this
  for (const auto& m : data.metrics()) {
    CHECK_FALSE(m.has_name());  // by alias alone
    CHECK(m.alias() >= 1);
  }
  for (const Message& m : g.messages) {
    CHECK(m.binary);
    CHECK(m.ordering_device() == (m.topic.find("pump-node-02") != std::string::npos ? 2U : 0U));
  }
}

TEST_CASE("the gateway's decoder reads every message of a Sparkplug fleet", "[unit]") {
  FleetConfig f = sparkplug_fleet(5, 4);
  f.anomalies.enabled = true;
  f.anomalies.kinds.at(static_cast<std::size_t>(AnomalyKind::dropout)) = {60.0, 0, 5, 20};
  const Generated g = generate(f, 5 * 3600);
  edgegw::sparkplug::Decoder decoder;
  edgegw::sparkplug::DecodedMessage out;
  std::map<std::string, int> types;
  for (const Message& m : g.messages) {
    INFO(m.topic);
    REQUIRE(decoder.decode(m.topic, m.payload, out));
    ++types[type_of(m)];
    if (type_of(m) == "DDATA") {
      REQUIRE(out.metrics.size() == 7);
      CHECK(out.metrics[1].name == "pressure");
    }
  }
  // The dropouts: each a DDEATH and, unless still out at the end, a DBIRTH on return
  // (data of a dead device would have failed to decode above).
  const int rebirths = types["DBIRTH"] - 5;
  CHECK(types["DDEATH"] > 5);
  CHECK(rebirths <= types["DDEATH"]);
  CHECK(rebirths >= types["DDEATH"] - 5);
  CHECK(types["NBIRTH"] == 2);
}

TEST_CASE("a clean stop publishes each born node's NDEATH with its session's bdSeq", "[unit]") {
  FleetGenerator g(sparkplug_fleet(3, 2));
  TickOutput tick;
  g.next(tick);  // pump-001: its node's NBIRTH and its DBIRTH; pump-node-02 not yet born
  g.stop(tick);
  REQUIRE(tick.messages.size() == 1);
  CHECK(tick.messages[0].topic == "spBv1.0/plant9/NDEATH/pump-node-01");
  const auto death = parsed(tick.messages[0]);
  REQUIRE(death.metrics_size() == 1);
  CHECK(death.metrics(0).name() == "bdSeq");
  CHECK(death.metrics(0).long_value() == 0);
  std::vector<Label> labels;
  g.finish(labels);
  CHECK(labels.front().count == 3);  // pump-001 counts its node's NBIRTH and NDEATH
}

TEST_CASE("a fleet file declares Sparkplug devices, and their group is checked", "[unit]") {
  const FleetConfig f = parse_fleet_yaml(
      "classes:\n  motor:\n    count: 3\n    format: sparkplug\n"
      "    sparkplug: {group: lineA, devices_per_node: 2}\n",
      "fleet.yaml");
  REQUIRE(f.classes.size() == 1);
  CHECK(f.classes[0].format == PayloadFormat::sparkplug);
  CHECK(f.classes[0].sparkplug.group == "lineA");
  CHECK(f.classes[0].sparkplug.devices_per_node == 2);
  try {
    (void)parse_fleet_yaml(
        "classes:\n  motor:\n    format: sparkplug\n    sparkplug: {group: a/b}\n", "fleet.yaml");
    FAIL("a group with '/' was accepted");
  } catch (const FleetConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("classes.motor.sparkplug.group"));
  }
}
