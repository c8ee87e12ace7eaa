#include <fmt/format.h>

#include <charconv>

#include "config/sections.hpp"
#include "edgegw/csv.hpp"
#include "kafka/kafka_conf.hpp"

namespace edgegw::config {
namespace {

// librdkafka properties the gateway sets itself, because its guarantees depend on them.
bool is_owned_property(const std::string& name) {
  return name == "bootstrap.servers" || name == "enable.idempotence" || name == "partitioner";
}

// Why `server` is not a `[scheme://]host:port` librdkafka could dial, or empty.
std::string bootstrap_server_problem(std::string_view server) {
  if (const std::size_t scheme = server.find("://"); scheme != std::string_view::npos) {
    server.remove_prefix(scheme + 3);
  }
  const std::size_t colon = server.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return "is not host:port";
  }
  const std::string_view port_text = server.substr(colon + 1);
  int port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
      port > 65535) {
    return fmt::format("has no valid port ('{}')", port_text);
  }
  return "";
}

std::string parse_bootstrap_servers(const ConfigNode& node) {
  std::string servers = node.as<std::string>();
  if (servers.find_first_not_of(" ,") == std::string::npos) {
    node.fail("must name at least one broker as host:port");
  }
  for (std::string_view server : split_fields(servers, ',')) {
    server.remove_prefix(std::min(server.find_first_not_of(' '), server.size()));
    server.remove_suffix(server.size() - (server.find_last_not_of(' ') + 1));
    if (!server.empty()) {
      if (const std::string problem = bootstrap_server_problem(server); !problem.empty()) {
        node.fail(fmt::format("'{}' {}", server, problem));
      }
    }
  }
  return servers;
}

// Hands a pass-through property to librdkafka (into `scratch`) now, so that a misspelt
// name or a bad value is reported with its line by check-config rather than at the
// daemon's start.
void check_property(rd_kafka_conf_t* scratch, const ConfigNode& node, const std::string& name,
                    const std::string& value) {
  if (is_owned_property(name)) {
    node.fail(
        "the gateway sets this property itself (bootstrap.servers comes from "
        "kafka.bootstrap_servers; idempotence and the murmur2 partitioner are "
        "what keep per-device order)");
  }
  if (std::optional<std::string> error = kafka::try_set_property(scratch, name, value)) {
    node.fail(fmt::format("librdkafka refuses it: {}", *error));
  }
}

}  // namespace

KafkaConfig parse_kafka_section(const ConfigNode& node) {
  node.check_keys({"bootstrap_servers", "topics", "key", "properties", "max_in_flight"});
  KafkaConfig kafka;
  kafka.bootstrap_servers = parse_bootstrap_servers(node.required("bootstrap_servers"));
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
  const kafka::KafkaConf scratch(rd_kafka_conf_new());
  for (const auto& [name, value] : node.child("properties").entries()) {
    kafka.properties[name] = value.as<std::string>();
    check_property(scratch.get(), value, name, kafka.properties[name]);
  }
  const int in_flight = node.get<int>("max_in_flight", static_cast<int>(kafka.max_in_flight));
  if (in_flight < 1) {
    node.child("max_in_flight").fail("must be at least 1");
  }
  kafka.max_in_flight = static_cast<std::size_t>(in_flight);
  return kafka;
}

}  // namespace edgegw::config
