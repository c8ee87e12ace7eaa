#include <catch2/catch.hpp>

#include <string>

#include "local_alerts/alert_topic.hpp"

using edgegw::local_alerts::alert_topic;
using edgegw::local_alerts::publish_topic_problem;

TEST_CASE("an alert topic is filled in from its template", "[unit][local_alerts]") {
  CHECK(alert_topic("edgegw/{gateway}/alerts/{device}/{source}/{severity}", "gw", "p1", "rule:hot",
                    "critical") == "edgegw/gw/alerts/p1/rule:hot/critical");
}

TEST_CASE("a topic that MQTT cannot carry is never published", "[unit][local_alerts]") {
  CHECK_FALSE(publish_topic_problem("edgegw/gw/alerts/p1"));
  CHECK_FALSE(publish_topic_problem("edgegw/gw/alerts/Pumpe-\xc3\xbc"));
  CHECK_FALSE(publish_topic_problem(std::string(65'535, 'a')));
  // 16 bits of length: one byte more and a client would wrap it onto another topic.
  CHECK(publish_topic_problem(std::string(65'536, 'a')) ==
        "the topic is 65536 bytes long, MQTT allows 65535");
  CHECK(publish_topic_problem("") == "the topic is empty");
  CHECK(publish_topic_problem("a/+/b") == "the topic holds a wildcard ('+' or '#')");
  CHECK(publish_topic_problem("a/#") == "the topic holds a wildcard ('+' or '#')");
  CHECK(publish_topic_problem(std::string("a\0b", 3)) == "the topic is not UTF-8 text without NUL");
  CHECK(publish_topic_problem("a/\xff") == "the topic is not UTF-8 text without NUL");
}
