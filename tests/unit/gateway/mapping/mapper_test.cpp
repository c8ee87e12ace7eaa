#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "mapping/mapper.hpp"
#include "unit/gateway/mapping/mappings_yaml.hpp"

using edgegw::mapping::DeadLetterReason;
using edgegw::mapping::MapOutcome;
using edgegw::mapping::Mapper;
using edgegw::test::mappings;

namespace {

const std::string kMappings = R"(
- name: pumps
  topic: "factory/{site}/pump/{device}/telemetry"
  format: json
  tags: [site]
  sequence: seq
  timestamp: { field: ts, format: milliseconds }
  sensors:
    - { name: flow, field: metrics.flow.value, unit: m3/h, min: 0, max: 500 }
    - { name: pressure, field: metrics.pressure, unit: bar, scale: 0.001 }
    - { name: first_bearing, field: "bearings[0].temp", unit: degC }
- name: motors
  topic: "factory/{site}/motor/{device}/telemetry"
  format: csv
  columns: [seq, ts, current, speed]
  sequence: seq
  timestamp: { column: ts, format: seconds }
  sensors:
    - { name: current, column: current, unit: A }
    - { name: speed, column: speed, unit: rpm, offset: 10 }
- name: compressor-seq
  topic: "factory/{site}/compressor/{device}/seq"
  format: number
  sequence: payload
- name: compressors
  topic: "factory/{site}/compressor/{device}/{sensor}"
  format: number
  sensor_capture: sensor
  sensors:
    - { name: discharge_temp, unit: degC }
- name: iso
  topic: "iso/{device}"
  format: json
  timestamp: { field: time, format: iso8601 }
  sensors:
    - { name: level, unit: "%" }
)";

// An arrival time close to the payload timestamps below (2023-11-14T22:13:20Z), so that
// they are within the default bounds (5m ahead, 7d behind).
constexpr std::int64_t kArrival = 1700000000000;

const edgegw::Reading* reading(const MapOutcome& out, const std::string& sensor) {
  for (const auto& r : out.sample.readings) {
    if (r.sensor == sensor) {
      return &r;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("json payloads map nested fields, arrays, units, scale and tags", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  mapper.map(
      "factory/north/pump/pump-001/telemetry",
      R"({"seq":17,"ts":1700000000123,"metrics":{"flow":{"value":12.5},"pressure":4100},"bearings":[{"temp":61.5}]})",
      kArrival, out);
  REQUIRE(out.has_sample);
  CHECK(out.problems.empty());
  CHECK(out.mapping->name == "pumps");
  CHECK(out.sample.device == "pump-001");
  CHECK(out.sample.timestamp_ms == 1700000000123);
  CHECK(out.sample.sequence == 17);
  REQUIRE(out.sample.tags.size() == 1);
  CHECK(out.sample.tags[0] == std::pair<std::string, std::string>{"site", "north"});
  REQUIRE(out.sample.readings.size() == 3);
  CHECK(reading(out, "flow")->value == 12.5);
  CHECK(reading(out, "flow")->unit == "m3/h");
  CHECK(reading(out, "pressure")->value == Approx(4.1));
  CHECK(reading(out, "first_bearing")->value == 61.5);
}

TEST_CASE("csv payloads map named columns, with timestamps in seconds", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  mapper.map("factory/north/motor/m-1/telemetry", "42,1700000000.5,12.25,1480\n", kArrival, out);
  REQUIRE(out.has_sample);
  CHECK(out.problems.empty());
  CHECK(out.sample.sequence == 42);
  CHECK(out.sample.timestamp_ms == 1700000000500);
  CHECK(reading(out, "current")->value == 12.25);
  CHECK(reading(out, "speed")->value == 1490);
  mapper.map("factory/north/motor/m-1/telemetry", "42,1700000000,12.25", 5, out);
  CHECK_FALSE(out.has_sample);
  CHECK(out.problems.at(0).reason == DeadLetterReason::decode_error);
  CHECK_THAT(out.problems.at(0).detail, Catch::Contains("3 columns, the mapping names 4"));
}

TEST_CASE("bare numbers take their sensor from the topic and arrival time", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  mapper.map("factory/north/compressor/c-9/discharge_temp", " 88.5 ", 1234, out);
  REQUIRE(out.has_sample);
  CHECK(out.sample.device == "c-9");
  CHECK(out.sample.timestamp_ms == 1234);
  CHECK(reading(out, "discharge_temp")->value == 88.5);
  CHECK(reading(out, "discharge_temp")->unit == "degC");
  mapper.map("factory/north/compressor/c-9/oil_level", "3", 1234, out);
  CHECK_FALSE(out.has_sample);
  CHECK(out.problems.at(0).reason == DeadLetterReason::unknown_sensor);
  mapper.map("factory/north/compressor/c-9/discharge_temp", "hot", 1234, out);
  CHECK(out.problems.at(0).reason == DeadLetterReason::decode_error);
}

TEST_CASE("a sequence topic of its own yields a sample without readings", "[unit][mapping]") {
  const auto configs = mappings(kMappings);  // its mapping precedes the {sensor} one
  Mapper mapper(configs);
  MapOutcome out;
  mapper.map("factory/north/compressor/c-9/seq", "17", 5, out);
  REQUIRE(out.has_sample);
  CHECK(out.problems.empty());
  CHECK(out.sample.sequence == 17);
  CHECK(out.sample.readings.empty());
}

TEST_CASE("iso-8601 timestamps with zones", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  mapper.map("iso/tank-1", R"({"time":"2023-11-14T23:13:20.123+01:00","level":55})", kArrival, out);
  REQUIRE(out.has_sample);
  CHECK(out.sample.timestamp_ms == 1700000000123);
}

TEST_CASE("bad messages are explained, good readings survive", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  SECTION("no mapping") {
    mapper.map("elsewhere/x", "{}", 0, out);
    CHECK(out.mapping == nullptr);
    CHECK(out.problems.at(0).reason == DeadLetterReason::no_mapping);
  }
  SECTION("malformed json") {
    mapper.map("factory/n/pump/p/telemetry", R"({"seq":1,"metrics":)", 0, out);
    CHECK_FALSE(out.has_sample);
    CHECK(out.problems.at(0).reason == DeadLetterReason::decode_error);
  }
  SECTION("wrong type keeps the other readings") {
    mapper.map("factory/n/pump/p/telemetry",
               R"({"ts":1,"metrics":{"flow":{"value":"lots"},"pressure":2000}})", 0, out);
    CHECK(out.has_sample);
    CHECK(reading(out, "flow") == nullptr);
    CHECK(reading(out, "pressure")->value == Approx(2.0));
    CHECK(out.problems.at(0).reason == DeadLetterReason::wrong_type);
    CHECK_THAT(out.problems.at(0).detail,
               Catch::Contains("metrics.flow.value") && Catch::Contains("'lots'"));
  }
  SECTION("numbers sent as text are a wrong type unless the mapping allows them") {
    const std::string payload = R"({"ts":1,"metrics":{"flow":{"value":"7.5"}}})";
    mapper.map("factory/n/pump/p/telemetry", payload, 0, out);
    CHECK(out.problems.at(0).reason == DeadLetterReason::wrong_type);
    std::string yaml = kMappings;
    yaml.insert(yaml.find("  sequence: seq"), "  numeric_strings: true\n");
    const auto lenient_configs = mappings(yaml);
    Mapper lenient(lenient_configs);
    lenient.map("factory/n/pump/p/telemetry", payload, 0, out);
    CHECK(out.problems.empty());
    CHECK(reading(out, "flow")->value == 7.5);
  }
  SECTION("text codes become their numbers; an unlisted code is a wrong type") {
    std::string yaml = kMappings;
    yaml.insert(yaml.find("    - { name: first_bearing"),
                "    - { name: state, field: state, values: {idle: 0, running: 1, fault: 2} }\n");
    const auto coded_configs = mappings(yaml);
    Mapper coded(coded_configs);
    coded.map("factory/n/pump/p/telemetry", R"({"ts":1,"state":"running","metrics":{}})", 0, out);
    REQUIRE(reading(out, "state") != nullptr);
    CHECK(reading(out, "state")->value == 1.0);
    coded.map("factory/n/pump/p/telemetry", R"({"ts":1,"state":2,"metrics":{}})", 0, out);
    CHECK(reading(out, "state")->value == 2.0);  // a number is taken as it is
    coded.map("factory/n/pump/p/telemetry", R"({"ts":1,"state":"exploded","metrics":{}})", 0, out);
    CHECK(reading(out, "state") == nullptr);
    CHECK(out.problems.at(0).reason == DeadLetterReason::wrong_type);
    CHECK_THAT(out.problems.at(0).detail, Catch::Contains("'exploded'"));
  }
  SECTION("out of range") {
    mapper.map("factory/n/pump/p/telemetry", R"({"ts":1,"metrics":{"flow":{"value":900}}})", 0,
               out);
    CHECK_FALSE(out.has_sample);
    CHECK(out.problems.at(0).reason == DeadLetterReason::out_of_range);
  }
  SECTION("no sensor present") {
    mapper.map("factory/n/pump/p/telemetry", R"({"ts":1})", 0, out);
    CHECK_FALSE(out.has_sample);
    CHECK(out.problems.at(0).reason == DeadLetterReason::no_readings);
  }
  SECTION("bad timestamp falls back to arrival time and says so") {
    mapper.map("factory/n/pump/p/telemetry", R"({"ts":"yesterday","metrics":{"pressure":1000}})",
               99, out);
    CHECK(out.has_sample);
    CHECK(out.sample.timestamp_ms == 99);
    CHECK(out.problems.at(0).reason == DeadLetterReason::bad_timestamp);
  }
  SECTION("an object where a number belongs") {
    mapper.map("factory/n/pump/p/telemetry", R"({"metrics":{"pressure":{"v":1}}})", 0, out);
    CHECK(out.problems.at(0).reason == DeadLetterReason::wrong_type);
    CHECK_THAT(out.problems.at(0).detail, Catch::Contains("object"));
  }
}

TEST_CASE("the json decoder's contract: one document, numbers that fit a double",
          "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  const std::string topic = "factory/n/pump/p/telemetry";
  SECTION("integers of 64 bits, signed or not, become doubles") {
    mapper.map(topic, R"({"ts":1,"metrics":{"pressure":18446744073709551615}})", 0, out);
    CHECK(reading(out, "pressure")->value == Approx(18446744073709551615.0 * 0.001));
    mapper.map(topic, R"({"ts":1,"metrics":{"pressure":-9223372036854775808}})", 0, out);
    CHECK(reading(out, "pressure")->value == Approx(-9223372036854775808.0 * 0.001));
  }
  SECTION("a number beyond a double or 64 bits is a decode error that says why") {
    for (const char* payload : {R"({"metrics":{"pressure":1e400}})",
                                R"({"metrics":{"pressure":123456789012345678901234}})"}) {
      mapper.map(topic, payload, 0, out);
      CHECK_FALSE(out.has_sample);
      CHECK(out.problems.at(0).reason == DeadLetterReason::decode_error);
      CHECK_THAT(out.problems.at(0).detail, Catch::Contains("number"));
    }
  }
  SECTION("invalid UTF-8, trailing garbage and two documents are refused") {
    for (const std::string& payload :
         {std::string(R"({"metrics":{"pressure":1},"note":")") + "\xff\xfe" + R"("})",
          std::string(R"({"metrics":{"pressure":1}} x)"),
          std::string(R"({"metrics":{"pressure":1}}{"metrics":{}})")}) {
      mapper.map(topic, payload, 0, out);
      CHECK(out.problems.at(0).reason == DeadLetterReason::decode_error);
    }
  }
  SECTION("of repeated keys the last counts; null is a missing field") {
    mapper.map(topic, R"({"ts":1,"metrics":{"pressure":1000,"pressure":3000,"flow":null}})", 0,
               out);
    CHECK(reading(out, "pressure")->value == Approx(3.0));
    CHECK(reading(out, "flow") == nullptr);
    CHECK(out.problems.empty());
  }
  SECTION("escaped text is decoded before a text code is looked up") {
    std::string yaml = kMappings;
    yaml.insert(yaml.find("    - { name: first_bearing"),
                "    - { name: state, field: state, values: {idle: 0, running: 1} }\n");
    const auto coded_configs = mappings(yaml);
    Mapper coded(coded_configs);
    coded.map(topic, R"({"ts":1,"state":"run\u006eing","metrics":{}})", 0, out);
    REQUIRE(reading(out, "state") != nullptr);
    CHECK(reading(out, "state")->value == 1.0);
  }
  SECTION("an index past the end of an array, or into an object, is a missing field") {
    mapper.map(topic, R"({"ts":1,"metrics":{"pressure":1},"bearings":[]})", 0, out);
    CHECK(reading(out, "first_bearing") == nullptr);
    mapper.map(topic, R"({"ts":1,"metrics":{"pressure":1},"bearings":{"0":{"temp":1}}})", 0, out);
    CHECK(reading(out, "first_bearing") == nullptr);
  }
}

TEST_CASE("subscriptions are derived from the templates", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  const Mapper mapper(configs);
  CHECK(mapper.subscription_filters() ==
        std::vector<std::string>{"factory/+/pump/+/telemetry", "factory/+/motor/+/telemetry",
                                 "factory/+/compressor/+/seq", "factory/+/compressor/+/+",
                                 "iso/+"});
}

namespace {

using edgegw::mapping::TimestampVerdict;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 86'400'000;

std::string pump_payload(std::int64_t ts) {
  return fmt::format(R"({{"seq":3,"ts":{},"metrics":{{"pressure":2000}}}})", ts);
}

// kMappings with `bounds` (YAML lines) added to the pumps mapping.
std::vector<edgegw::MappingConfig> pumps_with(const std::string& bounds) {
  std::string yaml = kMappings;
  yaml.insert(yaml.find("  sequence: seq"), bounds);
  return mappings(yaml);
}

}  // namespace

TEST_CASE("by default a timestamp beyond 5m ahead or 7d behind arrival is a dead letter",
          "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  const std::string topic = "factory/n/pump/p-1/telemetry";
  SECTION("at the bounds the payload's time is kept") {
    for (const std::int64_t ts : {kArrival + 5 * kMinute, kArrival - 7 * kDay}) {
      mapper.map(topic, pump_payload(ts), kArrival, out);
      REQUIRE(out.has_sample);
      CHECK(out.problems.empty());
      CHECK(out.timestamp == TimestampVerdict::within);
      CHECK(out.sample.timestamp_ms == ts);
    }
  }
  SECTION("one millisecond too far ahead") {
    mapper.map(topic, pump_payload(kArrival + 5 * kMinute + 1), kArrival, out);
    CHECK_FALSE(out.has_sample);
    CHECK(out.sample.readings.empty());  // the dead letter says none were forwarded
    CHECK(out.timestamp == TimestampVerdict::rejected);
    REQUIRE(out.problems.size() == 1);
    CHECK(out.problems[0].reason == DeadLetterReason::bad_timestamp);
    CHECK(out.problems[0].detail ==
          "field 'ts': timestamp 2023-11-14T22:18:20.001Z (1700000300001 ms) is more than "
          "max_clock_skew (5m) ahead of the arrival time 2023-11-14T22:13:20.000Z");
    CHECK(out.sample.device == "p-1");  // the dead letter is keyed by device
  }
  SECTION("one millisecond too old") {
    mapper.map(topic, pump_payload(kArrival - 7 * kDay - 1), kArrival, out);
    CHECK_FALSE(out.has_sample);
    CHECK(out.timestamp == TimestampVerdict::rejected);
    REQUIRE(out.problems.size() == 1);
    CHECK(out.problems[0].reason == DeadLetterReason::bad_timestamp);
    CHECK_THAT(out.problems[0].detail, Catch::Contains("2023-11-07T22:13:19.999Z") &&
                                           Catch::Contains("max_sample_age (7d) behind") &&
                                           Catch::Contains("2023-11-14T22:13:20.000Z"));
  }
  SECTION("the year 4980, in ISO-8601, rejects the whole message first") {
    mapper.map("iso/tank-1", R"({"time":"4980-01-01T00:00:00Z","level":"full"})", kArrival, out);
    CHECK_FALSE(out.has_sample);
    REQUIRE(out.problems.size() == 2);
    CHECK(out.problems[0].reason == DeadLetterReason::bad_timestamp);  // the dead letter's reason
    CHECK_THAT(out.problems[0].detail, Catch::Contains("4980-01-01T00:00:00.000Z"));
    CHECK(out.problems[1].reason == DeadLetterReason::wrong_type);
  }
}

TEST_CASE("on_bad_timestamp: arrival_time keeps the sample at its arrival time",
          "[unit][mapping]") {
  const auto configs =
      pumps_with("  max_clock_skew: 1m\n  max_sample_age: 2h\n  on_bad_timestamp: arrival_time\n");
  REQUIRE(configs[0].timestamp_bounds.max_clock_skew_ms == kMinute);
  REQUIRE(configs[0].timestamp_bounds.max_sample_age_ms == 120 * kMinute);
  Mapper mapper(configs);
  MapOutcome out;
  const std::string topic = "factory/n/pump/p-1/telemetry";
  for (const std::int64_t ts : {kArrival + kMinute + 1, kArrival - 120 * kMinute - 1}) {
    mapper.map(topic, pump_payload(ts), kArrival, out);
    REQUIRE(out.has_sample);
    CHECK(out.problems.empty());  // corrected, not dead-lettered
    CHECK(out.timestamp == TimestampVerdict::replaced);
    CHECK(out.sample.timestamp_ms == kArrival);
    CHECK(reading(out, "pressure")->value == Approx(2.0));
    CHECK_THAT(out.timestamp_note, Catch::Contains(std::to_string(ts) + " ms") &&
                                       Catch::EndsWith("; arrival time used"));
  }
  CHECK_THAT(out.timestamp_note, Catch::Contains("max_sample_age (2h) behind"));
  for (const std::int64_t ts : {kArrival + kMinute, kArrival - 120 * kMinute}) {
    mapper.map(topic, pump_payload(ts), kArrival, out);
    CHECK(out.timestamp == TimestampVerdict::within);
    CHECK(out.sample.timestamp_ms == ts);
    CHECK(out.timestamp_note.empty());
  }
}

TEST_CASE("a bound of none or 0 is no bound on that side", "[unit][mapping]") {
  for (const char* off : {"none", "0"}) {
    const auto configs =
        pumps_with(fmt::format("  max_sample_age: {}\n  max_clock_skew: 10s\n", off));
    Mapper mapper(configs);
    MapOutcome out;
    mapper.map("factory/n/pump/p-1/telemetry", pump_payload(1), kArrival, out);
    CHECK(out.has_sample);
    CHECK(out.sample.timestamp_ms == 1);
    mapper.map("factory/n/pump/p-1/telemetry", pump_payload(kArrival + 10'001), kArrival, out);
    CHECK(out.timestamp == TimestampVerdict::rejected);
  }
}

TEST_CASE("arrival-time mappings have nothing to check", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  // Any arrival time is the sample's time: there is no payload timestamp to be off.
  for (const std::int64_t arrival : {std::int64_t{0}, kArrival, 95'000'000'000'000}) {
    mapper.map("factory/north/compressor/c-9/discharge_temp", "88.5", arrival, out);
    REQUIRE(out.has_sample);
    CHECK(out.problems.empty());
    CHECK(out.timestamp == TimestampVerdict::within);
    CHECK(out.sample.timestamp_ms == arrival);
  }
  // An unreadable timestamp still keeps the readings at arrival time, as before.
  mapper.map("factory/n/pump/p/telemetry", R"({"ts":"yesterday","metrics":{"pressure":1000}})",
             kArrival, out);
  CHECK(out.has_sample);
  CHECK(out.timestamp == TimestampVerdict::within);
}

TEST_CASE("device ids and tag values are capped and must be printable text", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs, 16);
  MapOutcome out;
  const std::string payload = R"({"ts": 1700000000000, "metrics": {"flow": {"value": 5}}})";

  mapper.map("factory/north/pump/" + std::string(16, 'p') + "/telemetry", payload, kArrival, out);
  CHECK(out.has_sample);  // exactly at the limit

  // Beyond it: a dead letter, with neither the id nor a sample kept (the id would key
  // Kafka records and the device tables, and fill outgoing topics).
  mapper.map("factory/north/pump/" + std::string(65'530, 'p') + "/telemetry", payload, kArrival,
             out);
  CHECK_FALSE(out.has_sample);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::bad_device);
  CHECK(out.problems[0].detail ==
        "device id of 65530 bytes is longer than mqtt.max_id_length (16 bytes)");
  CHECK(out.sample.device.empty());

  mapper.map("factory/" + std::string(17, 's') + "/pump/p1/telemetry", payload, kArrival, out);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].detail ==
        "tag 'site' of 17 bytes is longer than mqtt.max_id_length (16 bytes)");

  mapper.map("factory/north/pump/p\x01\n/telemetry", payload, kArrival, out);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::bad_device);
  CHECK(out.problems[0].detail == "device id 'p\\x01\\x0a' has control characters or is not UTF-8");

  mapper.map("factory/north/pump/p\xff/telemetry", payload, kArrival, out);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::bad_device);

  mapper.map("factory/north/pump/Pumpe-\xc3\xbc/telemetry", payload, kArrival, out);
  CHECK(out.has_sample);  // UTF-8 names are fine
}
