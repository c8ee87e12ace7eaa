// Mappings that read a message's MQTT 5 properties ($content_type, $user.<name>) as
// fields and tags, beside the payload's fields.

#include <catch2/catch.hpp>

#include "edgegw/config_error.hpp"
#include "mapping/mapper.hpp"
#include "mapping/message_field.hpp"
#include "unit/gateway/mapping/mappings_yaml.hpp"

using edgegw::MessageProperties;
using edgegw::mapping::DeadLetterReason;
using edgegw::mapping::MapOutcome;
using edgegw::mapping::Mapper;
using edgegw::test::mappings;

namespace {

const std::string kMappings = R"(
- name: presses
  topic: "plant/{site}/{device}"
  format: json
  tags: [site, $user.line, $content_type]
  sensors:
    - { name: force, field: f, unit: kN }
    - { name: speed, field: $user.rpm, unit: rpm }
    - { name: mode, field: $user.mode, values: { idle: 0, run: 1 } }
- name: plain
  topic: "plain/{device}"
  format: csv
  columns: [v]
  sensors:
    - { name: v, column: v }
)";

constexpr std::int64_t kArrival = 1700000000000;

std::string tag(const MapOutcome& out, const std::string& name) {
  for (const auto& [key, value] : out.sample.tags) {
    if (key == name) {
      return value;
    }
  }
  return "<absent>";
}

double reading(const MapOutcome& out, const std::string& name) {
  for (const auto& r : out.sample.readings) {
    if (r.sensor == name) {
      return r.value;
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("message fields parse as $content_type and $user.<name>, nothing else",
          "[unit][mapping]") {
  using edgegw::mapping::MessageField;
  using edgegw::mapping::parse_message_field;
  CHECK(parse_message_field("$content_type").value().kind == MessageField::Kind::content_type);
  const auto user = parse_message_field("$user.line");
  REQUIRE(user);
  CHECK(user.value().kind == MessageField::Kind::user_property);
  CHECK(user.value().name == "line");
  CHECK(user.value().tag_name() == "line");
  for (const char* bad : {"$user.", "$user", "$contenttype", "$"}) {
    INFO(bad);
    const auto parsed = parse_message_field(bad);
    REQUIRE_FALSE(parsed);
    CHECK_THAT(parsed.error().message, Catch::Contains("use $content_type or $user.<name>"));
  }
}

TEST_CASE("user properties and the content type become tags and readings", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  CHECK(mapper.reads_message_properties());
  MessageProperties properties;
  properties.content_type = "application/json";
  properties.user = {{"line", "L7"}, {"rpm", "1450.5"}, {"mode", "run"}, {"line", "ignored"}};
  MapOutcome out;
  mapper.map("plant/north/press-1", R"({"f": 12})", kArrival, out, properties);
  REQUIRE(out.has_sample);
  CHECK(out.problems.empty());
  CHECK(tag(out, "site") == "north");
  CHECK(tag(out, "line") == "L7");  // the first of repeated names
  CHECK(tag(out, "content_type") == "application/json");
  CHECK(reading(out, "force") == 12);
  CHECK(reading(out, "speed") == 1450.5);
  CHECK(reading(out, "mode") == 1);
}

TEST_CASE("a message without the properties maps its payload alone", "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  mapper.map("plant/north/press-1", R"({"f": 12})", kArrival, out);
  REQUIRE(out.has_sample);
  CHECK(out.problems.empty());
  CHECK(tag(out, "line") == "<absent>");
  CHECK(out.sample.readings.size() == 1);
}

TEST_CASE(
    "a property that is not a number where one belongs is wrong_type, a bad tag value "
    "is bad_device",
    "[unit][mapping]") {
  const auto configs = mappings(kMappings);
  Mapper mapper(configs);
  MapOutcome out;
  MessageProperties properties;
  properties.user = {{"rpm", "fast"}};
  mapper.map("plant/north/press-1", R"({"f": 12})", kArrival, out, properties);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::wrong_type);
  CHECK(out.has_sample);  // the force reading goes on

  properties.user = {{"line", "L\n7"}};
  mapper.map("plant/north/press-1", R"({"f": 12})", kArrival, out, properties);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].reason == DeadLetterReason::bad_device);
  CHECK_FALSE(out.has_sample);
  CHECK(out.sample.device.empty());
}

TEST_CASE("only mappings that name a message field make the session read properties",
          "[unit][mapping]") {
  const auto configs = mappings(R"(
- name: plain
  topic: "plain/{device}"
  format: json
  sensors:
    - { name: v, field: v }
)");
  CHECK_FALSE(Mapper(configs).reads_message_properties());
  CHECK_FALSE(edgegw::mapping::reads_message_properties(configs));
  CHECK(edgegw::mapping::reads_message_properties(mappings(kMappings)));
}

TEST_CASE("a misspelt message field is a config error naming the forms", "[unit][mapping]") {
  CHECK_THROWS_WITH(mappings(R"(
- name: m
  topic: "p/{device}"
  format: json
  sensors:
    - { name: v, field: $usr.rpm }
)"),
                    Catch::Contains("'$usr.rpm' is not a message field; use $content_type or "
                                    "$user.<name>"));
  CHECK_THROWS_WITH(mappings(R"(
- name: m
  topic: "p/{device}"
  format: json
  tags: [$user]
  sensors:
    - { name: v, field: v }
)"),
                    Catch::Contains("m.yaml:5: [0].tags: '$user' is not a message field"));
}
