#include <catch2/catch.hpp>

#include <string>

#include "fleet_config.hpp"

using edgegw::sim::DeviceClass;
using edgegw::sim::FleetConfigError;
using edgegw::sim::parse_fleet_yaml;
using edgegw::sim::PayloadFormat;

namespace {

// The message of the FleetConfigError that parsing `yaml` throws ("" if none).
std::string error_of(const std::string& yaml) {
  try {
    (void)parse_fleet_yaml(yaml, "fleet.yaml");
  } catch (const FleetConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a fleet file sets classes, sites, timing and rates", "[unit]") {
  const auto f = parse_fleet_yaml(R"(
seed: 9
start_time: "2024-03-01T12:00:00Z"
sites: [north, south]
interval_ms: 500
qos: 0
classes:
  pump: {count: 3}
  motor:
    count: 2
    qos: 2
    wear: {life_hours: [1, 2], repair_minutes: 5, first_failure_minutes: [0.5, 3]}
anomalies:
  spike: {rate_per_hour: 3, magnitude: 10}
bad_payloads:
  enabled: false
  oversized: 1.5
)",
                                  "fleet.yaml");
  CHECK(f.seed == 9);
  CHECK(f.start_ms == 1709294400000);
  CHECK(f.sites == std::vector<std::string>{"north", "south"});
  REQUIRE(f.classes.size() == 2);
  CHECK(f.classes[0].device_class == DeviceClass::pump);
  CHECK(f.classes[0].count == 3);
  CHECK(f.classes[0].interval_ms == 500);
  CHECK(f.classes[0].qos == 0);
  CHECK(f.classes[0].format == PayloadFormat::json);
  CHECK(f.classes[0].topic == "factory/{site}/pump/{device}/telemetry");
  CHECK(f.classes[1].format == PayloadFormat::csv);
  CHECK(f.classes[1].qos == 2);
  CHECK(f.classes[1].wear.max_life_hours == 2.0);
  CHECK(f.classes[1].wear.first_failure_minutes == std::pair{0.5, 3.0});
  CHECK_FALSE(f.classes[0].wear.first_failure_minutes);
  CHECK(f.anomalies.kinds[0].rate_per_hour == 3.0);
  CHECK(f.anomalies.kinds[0].magnitude == 10.0);
  CHECK_FALSE(f.bad_payloads.enabled);
  CHECK(f.bad_payloads.rate_per_hour[3] == 1.5);
  CHECK(f.device_count() == 5);
}

TEST_CASE("the example fleet file is valid", "[unit]") {
  const auto f = edgegw::sim::load_fleet_file(EDGEGW_FLEET_EXAMPLE);
  CHECK(f.device_count() > 0);
  CHECK(f.classes.size() == 3);
}

TEST_CASE("the example farm file is valid and keeps the stations' own interval", "[unit]") {
  const auto f = edgegw::sim::load_fleet_file(EDGEGW_FLEET_FIELD_EXAMPLE);
  REQUIRE(f.classes.size() == 1);
  CHECK(f.classes[0].device_class == DeviceClass::field);
  CHECK(f.classes[0].interval_ms == 300000);
  CHECK(f.field_faults.kinds[1].rate_per_hour > 0.0);
  // Without an interval of their own, a file's classes take their class's default.
  const auto g = parse_fleet_yaml("classes:\n  field: {count: 1}\n  pump: {count: 1}\n", "f.yaml");
  CHECK(g.classes[0].interval_ms == 300000);
  CHECK(g.classes[1].interval_ms == 1000);
  const auto h = parse_fleet_yaml("interval_ms: 60000\nclasses:\n  field: {count: 1}\n", "f.yaml");
  CHECK(h.classes[0].interval_ms == 60000);
}

TEST_CASE("fleet file errors name the file, line and key", "[unit]") {
  SECTION("unknown key") {
    const auto e = error_of("classes:\n  pump:\n    cuont: 3\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:3: classes.pump.cuont"));
    CHECK_THAT(e, Catch::Contains("classes.pump.cuont"));
    CHECK_THAT(e, Catch::Contains("unknown key"));
  }
  SECTION("wrong type") {
    const auto e = error_of("classes:\n  motor:\n    count: many\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:3: classes.motor.count"));
    CHECK_THAT(e, Catch::Contains("classes.motor.count"));
    CHECK_THAT(e, Catch::Contains("'many'"));
  }
  SECTION("invalid value found by validation") {
    const auto e = error_of("classes:\n  pump:\n    count: 1\n    topic: factory/x/telemetry\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:4: classes.pump.topic"));
    CHECK_THAT(e, Catch::Contains("classes.pump.topic"));
    CHECK_THAT(e, Catch::Contains("{device}"));
  }
  SECTION("a field station given wear") {
    const auto e = error_of("classes:\n  field:\n    count: 1\n    wear: {enabled: true}\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:4: classes.field.wear"));
    CHECK_THAT(e, Catch::Contains("field_faults"));
  }
  SECTION("a bad field fault") {
    const auto e =
        error_of("classes:\n  field: {count: 1}\nfield_faults:\n  dry_out: {rate_per_hour: -1}\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:4: field_faults.dry_out.rate_per_hour"));
  }
  SECTION("unknown class") {
    const auto e = error_of("classes:\n  turbine: {count: 1}\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:2: classes.turbine"));
    CHECK_THAT(e, Catch::Contains("classes.turbine"));
  }
  SECTION("bad format and QoS") {
    CHECK_THAT(error_of("classes:\n  pump: {count: 1, format: xml}\n"),
               Catch::Contains("classes.pump.format"));
    CHECK_THAT(error_of("classes:\n  pump: {count: 1, qos: 3}\n"),
               Catch::Contains("fleet.yaml:2: classes.pump.qos: must be 0, 1 or 2"));
  }
  SECTION("fleet-wide QoS and interval point at their own line, not the class") {
    CHECK(error_of("qos: 3\nclasses:\n  pump: {count: 1}\n") ==
          "fleet.yaml:1: qos: must be 0, 1 or 2");
    CHECK(error_of("seed: 1\ninterval_ms: 0\nclasses:\n  motor: {count: 1}\n") ==
          "fleet.yaml:2: interval_ms: must be between 1 and 86400000");
    // A class's own value is at fault even when a fleet-wide one is fine.
    CHECK_THAT(error_of("qos: 1\nclasses:\n  motor:\n    qos: 7\n"),
               Catch::Contains("fleet.yaml:4: classes.motor.qos"));
  }
  SECTION("an empty file or a non-mapping names the file and line 1") {
    CHECK(error_of("") == "fleet.yaml:1: the fleet file is empty: it needs at least `classes:`");
    CHECK(error_of("# only a comment\n") ==
          "fleet.yaml:1: the fleet file is empty: it needs at least `classes:`");
    CHECK(error_of("just text\n") == "fleet.yaml:1: expected a map");
    CHECK(error_of("- a\n- b\n") == "fleet.yaml:1: expected a map");
  }
  SECTION("first failure range") {
    CHECK_THAT(error_of("classes:\n  pump:\n    wear: {first_failure_minutes: [-1, 2]}\n"),
               Catch::Contains("fleet.yaml:3: classes.pump.wear.first_failure_minutes: min must be "
                               "at least 0"));
    CHECK_THAT(error_of("classes:\n  pump:\n    wear: {first_failure_minutes: [3, 2]}\n"),
               Catch::Contains("classes.pump.wear.first_failure_minutes: max is below min"));
  }
  SECTION("YAML syntax") {
    const auto e = error_of("classes:\n  pump: {count: 1\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:"));
    CHECK_THAT(e, Catch::Contains("invalid YAML"));
  }
  SECTION("missing classes") {
    CHECK_THAT(error_of("seed: 1\n"), Catch::Contains("classes"));
  }
  SECTION("bare format without {sensor}") {
    const auto e = error_of("classes:\n  compressor:\n    count: 1\n    topic: a/{device}\n");
    CHECK_THAT(e, Catch::Contains("fleet.yaml:4"));
    CHECK_THAT(e, Catch::Contains("{sensor}"));
  }
}

TEST_CASE("times parse as UTC ISO 8601 or epoch milliseconds", "[unit]") {
  using edgegw::sim::parse_time_ms;
  CHECK(parse_time_ms("1700000000123") == 1700000000123);
  CHECK(parse_time_ms("2024-01-01T00:00:00Z") == 1704067200000);
  CHECK(parse_time_ms("2024-01-01T00:00:01.5Z") == 1704067201500);
  CHECK(parse_time_ms("2024-01-01T00:00:00+00:00") == 1704067200000);
  CHECK_FALSE(parse_time_ms("2024-01-01T00:00:00"));  // no zone: refused, not local time
  CHECK_FALSE(parse_time_ms("2024-01-01T00:00:00+02:00"));
  CHECK_FALSE(parse_time_ms("2024-02-30T00:00:00Z"));
  CHECK_FALSE(parse_time_ms("yesterday"));
}
