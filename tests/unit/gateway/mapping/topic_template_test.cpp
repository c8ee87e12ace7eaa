#include <catch2/catch.hpp>

#include "mapping/topic_template.hpp"

using edgegw::mapping::Captures;
using edgegw::mapping::TopicTemplate;

namespace {

TopicTemplate parse(const std::string& text) {
  auto t = TopicTemplate::parse(text);
  REQUIRE(t.ok());
  return t.value();
}

}  // namespace

TEST_CASE("named captures take one level each", "[unit][mapping]") {
  const TopicTemplate t = parse("factory/{site}/{device}/telemetry");
  Captures c;
  REQUIRE(t.match("factory/plant-a/pump-7/telemetry", c));
  REQUIRE(c.size() == 2);
  CHECK(c[0].first == "site");
  CHECK(c[0].second == "plant-a");
  CHECK(c[1].second == "pump-7");
  CHECK_FALSE(t.match("factory/plant-a/pump-7/status", c));
  CHECK_FALSE(t.match("factory/plant-a/pump-7/telemetry/extra", c));
  CHECK_FALSE(t.match("factory/plant-a/telemetry", c));
  CHECK_FALSE(t.match("factory//pump-7/telemetry", c));  // an empty capture is no name
  CHECK(t.subscription_filter() == "factory/+/+/telemetry");
}

TEST_CASE("MQTT wildcards work as in MQTT", "[unit][mapping]") {
  Captures c;
  const TopicTemplate plus = parse("a/+/{device}");
  CHECK(plus.match("a/x/d1", c));
  CHECK_FALSE(plus.match("a/x/y/d1", c));
  const TopicTemplate hash = parse("sensors/{device}/#");
  CHECK(hash.match("sensors/d1/temp", c));
  CHECK(hash.match("sensors/d1/a/b/c", c));
  CHECK(hash.match("sensors/d1", c));  // '#' includes the parent level
  CHECK(hash.subscription_filter() == "sensors/+/#");
}

TEST_CASE("malformed templates are refused with a reason", "[unit][mapping]") {
  CHECK_FALSE(TopicTemplate::parse("").ok());
  CHECK(TopicTemplate::parse("a/#/b").error().message == "'#' must be the last level in 'a/#/b'");
  CHECK_FALSE(TopicTemplate::parse("a/{}/b").ok());
  CHECK_FALSE(TopicTemplate::parse("a/dev{id}/b").ok());
  CHECK(TopicTemplate::parse("a/{x}/{x}").error().message ==
        "capture 'x' appears twice in 'a/{x}/{x}'");
}
