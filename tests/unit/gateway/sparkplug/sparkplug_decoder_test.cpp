#include <catch2/catch.hpp>

#include "sparkplug/sparkplug_decoder.hpp"
#include "sparkplug/sparkplug_errc.hpp"
#include "support/sparkplug_payloads.hpp"

using edgegw::sparkplug::DecodedMessage;
using edgegw::sparkplug::Decoder;
using edgegw::sparkplug::MessageType;
using edgegw::sparkplug::MetricValue;
using edgegw::sparkplug::SparkplugErrc;
using namespace edgegw::test;
namespace proto = edgegw::sparkplug::proto;

namespace {

SparkplugPayload node_birth(std::uint64_t bd_seq) {
  SparkplugPayload p;
  p.set_timestamp(1700000000000);
  p.set_seq(0);
  add_bd_seq(p, bd_seq);
  add_double(p, "Supply/Voltage", 1, 230.0);
  return p;
}

SparkplugPayload device_birth() {
  SparkplugPayload p;
  p.set_timestamp(1700000000100);
  add_double(p, "Motor/Temperature", 10, 41.5);
  SparkplugMetric& state = *p.add_metrics();
  state.set_name("Motor/State");
  state.set_alias(11);
  state.set_datatype(proto::Int8);
  state.set_int_value(static_cast<std::uint32_t>(-3));  // two's complement, as the spec says
  return p;
}

SparkplugPayload device_data(std::uint64_t alias, double value) {
  SparkplugPayload p;
  p.set_timestamp(1700000001000);
  add_double(p, "", alias, value);
  return p;
}

Decoder born_line() {
  Decoder d;
  DecodedMessage out;
  REQUIRE(d.decode("spBv1.0/plant/NBIRTH/node1", serialized(node_birth(7)), out));
  REQUIRE(d.decode("spBv1.0/plant/DBIRTH/node1/motor-1", serialized(device_birth()), out));
  return d;
}

}  // namespace

TEST_CASE("Sparkplug topics name the group, message type, edge node and device", "[unit]") {
  auto t = edgegw::sparkplug::parse_topic("spBv1.0/plant/DDATA/node1/motor-1");
  REQUIRE(t);
  CHECK(t.value().group == "plant");
  CHECK(t.value().type == MessageType::ddata);
  CHECK(t.value().edge_node == "node1");
  CHECK(t.value().device == "motor-1");
  CHECK_FALSE(edgegw::sparkplug::parse_topic("spBv1.0/plant/NDATA/node1").value().about_device());
  for (const char* bad :
       {"spBv1.0/plant/DDATA/node1", "spBv1.0/plant/NDATA/node1/x", "spBv1.0/plant/STATE/node1",
        "spAv1.0/plant/NDATA/node1", "spBv1.0//NDATA/node1", "spBv1.0/STATE/host"}) {
    INFO(bad);
    const auto r = edgegw::sparkplug::parse_topic(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == SparkplugErrc::malformed_topic);
  }
}

TEST_CASE("births declare aliases and types that data then uses", "[unit]") {
  Decoder d = born_line();
  DecodedMessage out;
  REQUIRE(d.decode("spBv1.0/plant/DDATA/node1/motor-1", serialized(device_data(10, 44.25)), out));
  REQUIRE(out.metrics.size() == 1);
  CHECK(out.metrics[0].name == "Motor/Temperature");
  CHECK(out.metrics[0].value.number == 44.25);
  CHECK(out.timestamp_ms == 1700000001000);

  SparkplugPayload state;
  SparkplugMetric& m = *state.add_metrics();
  m.set_alias(11);
  m.set_int_value(static_cast<std::uint32_t>(-120));  // no datatype: the birth's Int8 holds
  REQUIRE(d.decode("spBv1.0/plant/DDATA/node1/motor-1", serialized(state), out));
  CHECK(out.metrics[0].name == "Motor/State");
  CHECK(out.metrics[0].value.number == -120.0);
}

TEST_CASE("values of every scalar type, and null, read as the spec encodes them", "[unit]") {
  Decoder d;
  DecodedMessage out;
  SparkplugPayload p;
  add_bd_seq(p, 0);
  auto add = [&](const char* name, proto::DataType type) -> SparkplugMetric& {
    SparkplugMetric& m = *p.add_metrics();
    m.set_name(name);
    m.set_datatype(type);
    return m;
  };
  add("i16", proto::Int16).set_int_value(static_cast<std::uint16_t>(-2));
  add("u32", proto::UInt32).set_int_value(4000000000U);
  add("i64", proto::Int64).set_long_value(static_cast<std::uint64_t>(-5));
  add("f", proto::Float).set_float_value(1.5F);
  add("b", proto::Boolean).set_boolean_value(true);
  add("s", proto::String).set_string_value("running");
  add("raw", proto::Bytes).set_bytes_value("\x01\x02");
  SparkplugMetric& null_metric = add("gone", proto::Double);
  null_metric.set_is_null(true);
  REQUIRE(d.decode("spBv1.0/g/NBIRTH/n", serialized(p), out));
  std::map<std::string, MetricValue> v;
  for (const auto& m : out.metrics) {
    v[std::string(m.name)] = m.value;
  }
  CHECK(v["i16"].number == -2.0);
  CHECK(v["u32"].number == 4000000000.0);
  CHECK(v["i64"].number == -5.0);
  CHECK(v["f"].number == 1.5);
  CHECK(v["b"].number == 1.0);
  CHECK(v["s"].kind == MetricValue::Kind::text);
  CHECK(v["s"].text == "running");
  CHECK(v["raw"].kind == MetricValue::Kind::other);
  CHECK(v["raw"].type_name == "Bytes");
  CHECK(v["gone"].kind == MetricValue::Kind::null);
}

TEST_CASE("data without a birth, or with an undeclared alias, cannot be read", "[unit]") {
  DecodedMessage out;
  SECTION("before the node's birth") {
    Decoder d;
    const auto s = d.decode("spBv1.0/plant/NDATA/node1", serialized(device_data(1, 1.0)), out);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == SparkplugErrc::no_birth);
    CHECK_THAT(s.error().message, Catch::Contains("node1"));
  }
  SECTION("before the device's birth") {
    Decoder d = born_line();
    const auto s =
        d.decode("spBv1.0/plant/DDATA/node1/pump-9", serialized(device_data(10, 1)), out);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == SparkplugErrc::no_birth);
    CHECK_THAT(s.error().message, Catch::Contains("pump-9"));
  }
  SECTION("an alias no birth declared") {
    Decoder d = born_line();
    const auto s =
        d.decode("spBv1.0/plant/DDATA/node1/motor-1", serialized(device_data(99, 1)), out);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == SparkplugErrc::unknown_alias);
  }
  SECTION("not protobuf") {
    Decoder d;
    const auto s = d.decode("spBv1.0/plant/NBIRTH/node1", "{\"json\": true}", out);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == SparkplugErrc::malformed_payload);
  }
}

TEST_CASE("deaths end sessions, and a stale NDEATH is ignored", "[unit]") {
  Decoder d = born_line();
  DecodedMessage out;
  SECTION("DDEATH ends the device, not the node") {
    REQUIRE(d.decode("spBv1.0/plant/DDEATH/node1/motor-1", serialized(SparkplugPayload{}), out));
    CHECK(out.ended_devices == std::vector<std::string>{"motor-1"});
    CHECK_FALSE(d.decode("spBv1.0/plant/DDATA/node1/motor-1", serialized(device_data(10, 1)), out));
    CHECK(d.decode("spBv1.0/plant/NDATA/node1", serialized(device_data(1, 231.0)), out));
  }
  SECTION("an NDEATH of an earlier session (its bdSeq) changes nothing") {
    SparkplugPayload death;
    add_bd_seq(death, 6);
    REQUIRE(d.decode("spBv1.0/plant/NDEATH/node1", serialized(death), out));
    CHECK(out.stale_death);
    CHECK(d.decode("spBv1.0/plant/DDATA/node1/motor-1", serialized(device_data(10, 1)), out));
  }
  SECTION("the NDEATH of this session ends the node and its devices") {
    SparkplugPayload death;
    add_bd_seq(death, 7);
    REQUIRE(d.decode("spBv1.0/plant/NDEATH/node1", serialized(death), out));
    CHECK_FALSE(out.stale_death);
    CHECK(out.ended_devices == std::vector<std::string>{"motor-1"});
    CHECK(d.nodes() == 0);
    CHECK_FALSE(d.decode("spBv1.0/plant/DDATA/node1/motor-1", serialized(device_data(10, 1)), out));
  }
}

TEST_CASE("a gap in a node's seq is counted, duplicates and the wrap are not gaps", "[unit]") {
  Decoder d = born_line();  // NBIRTH seq 0; the DBIRTH carried none
  DecodedMessage out;
  const auto data_with_seq = [&](std::uint64_t seq) {
    SparkplugPayload p = device_data(10, 1.0);
    p.set_seq(seq);
    REQUIRE(d.decode("spBv1.0/plant/DDATA/node1/motor-1", serialized(p), out));
    return out.seq_gap;
  };
  CHECK(data_with_seq(1) == 0);
  CHECK(data_with_seq(2) == 0);
  CHECK(data_with_seq(2) == 0);  // delivered twice (QoS 1)
  CHECK(data_with_seq(5) == 2);  // 3 and 4 lost
  CHECK(data_with_seq(4) == 0);  // overtaken: late, not a gap, and 5 stays the latest
  CHECK(data_with_seq(6) == 0);
  for (std::uint64_t seq = 7; seq <= 255; ++seq) {
    REQUIRE(data_with_seq(seq) == 0);
  }
  CHECK(data_with_seq(0) == 0);  // 255 wraps to 0
  CHECK(data_with_seq(3) == 2);  // 1 and 2 lost
  SECTION("data of a device the node has not born still counts the node's seq") {
    SparkplugPayload p = device_data(10, 1.0);
    p.set_seq(9);
    CHECK_FALSE(d.decode("spBv1.0/plant/DDATA/node1/motor-9", serialized(p), out));
    CHECK(out.seq_gap == 5);
  }
  SECTION("a new NBIRTH starts over at 0") {
    REQUIRE(d.decode("spBv1.0/plant/NBIRTH/node1", serialized(node_birth(8)), out));
    CHECK(out.seq_gap == 0);
    SparkplugPayload p = device_data(1, 231.0);
    p.set_seq(1);
    REQUIRE(d.decode("spBv1.0/plant/NDATA/node1", serialized(p), out));
    CHECK(out.seq_gap == 0);
  }
}

TEST_CASE("the decoder's tables are bounded", "[unit]") {
  Decoder d({/*max_nodes=*/2, /*max_metrics=*/3});
  DecodedMessage out;
  CHECK(d.decode("spBv1.0/g/NBIRTH/a", serialized(node_birth(1)), out));
  CHECK(d.decode("spBv1.0/g/NBIRTH/b", serialized(node_birth(1)), out));
  const auto third = d.decode("spBv1.0/g/NBIRTH/c", serialized(node_birth(1)), out);
  REQUIRE_FALSE(third);
  CHECK(third.error().code == SparkplugErrc::too_many);
  CHECK(d.decode("spBv1.0/g/NBIRTH/a", serialized(node_birth(2)), out));  // a rebirth is fine
  SparkplugPayload big;
  for (std::uint64_t i = 0; i < 5; ++i) {
    add_double(big, "m" + std::to_string(i), 100 + i, 1.0);
  }
  CHECK(d.decode("spBv1.0/g/DBIRTH/a/dev", serialized(big), out).error().code ==
        SparkplugErrc::too_many);
}
