#include <fmt/format.h>

#include "config/sections.hpp"

namespace edgegw::config {
namespace {

// librdkafka properties the gateway sets itself, because its guarantees depend on them.
bool is_owned_property(const std::string& name) {
  return name == "bootstrap.servers" || name == "enable.idempotence" || name == "partitioner";
}

}  // namespace

KafkaConfig parse_kafka_section(const ConfigNode& node) {
  node.check_keys({"bootstrap_servers", "topics", "key", "properties", "max_in_flight"});
  KafkaConfig kafka;
  kafka.bootstrap_servers = node.required("bootstrap_servers").as<std::string>();
  kafka.topics = {
      {Stream::telemetry, "edgegw.telemetry"},     {Stream::aggregates, "edgegw.aggregates"},
      {Stream::alerts, "edgegw.alerts"},           {Stream::predictions, "edgegw.predictions"},
      {Stream::dead_letter, "edgegw.dead-letter"},
  };
  const ConfigNode topics = node.child("topics");
  topics.check_keys({"telemetry", "aggregates", "alerts", "predictions", "dead_letter"});
  for (auto& [stream, topic] : kafka.topics) {
    topic = topics.get<std::string>(stream_name(stream), topic);
    if (topic.empty()) {
      topics.child(stream_name(stream)).fail("a topic name must not be empty");
    }
  }
  kafka.key_template = node.get<std::string>("key", kafka.key_template);
  for (const auto& [name, value] : node.child("properties").entries()) {
    if (is_owned_property(name)) {
      value.fail(
          "the gateway sets this property itself (bootstrap.servers comes from "
          "kafka.bootstrap_servers; idempotence and the murmur2 partitioner are "
          "what keep per-device order)");
    }
    kafka.properties[name] = value.as<std::string>();
  }
  const int in_flight = node.get<int>("max_in_flight", static_cast<int>(kafka.max_in_flight));
  if (in_flight < 1) {
    node.child("max_in_flight").fail("must be at least 1");
  }
  kafka.max_in_flight = static_cast<std::size_t>(in_flight);
  return kafka;
}

}  // namespace edgegw::config
