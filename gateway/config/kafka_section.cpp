#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "config/kafka_topics_section.hpp"
#include "config/option_table.hpp"
#include "config/secret_source.hpp"
#include "config/sections.hpp"
#include "edgegw/csv.hpp"
#include "kafka/kafka_conf.hpp"

namespace edgegw::config {
namespace {

// librdkafka properties the gateway sets itself, because its guarantees depend on them.
bool is_owned_property(const std::string& name) {
  return name == "bootstrap.servers" || name == "enable.idempotence" || name == "partitioner" ||
         name == "transactional.id" || name == "transaction.timeout.ms";
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
void check_property(rd_kafka_conf_t* scratch, const ConfigNode& node, const KafkaConfig& kafka,
                    const std::string& name, const std::string& value) {
  if (kafka::is_code_loading_property(name) &&
      std::find(kafka.allowed_unsafe_properties.begin(), kafka.allowed_unsafe_properties.end(),
                name) == kafka.allowed_unsafe_properties.end()) {
    node.fail(
        "this property loads code or runs a command; if that is meant, list it in "
        "kafka.allow_unsafe_properties");
  }
  if (is_owned_property(name)) {
    node.fail(
        "the gateway sets this property itself (bootstrap.servers comes from "
        "kafka.bootstrap_servers; idempotence and the murmur2 partitioner are "
        "what keep per-device order; the transaction settings come from "
        "kafka.transactional_id and kafka.transaction_timeout)");
  }
  if (std::optional<std::string> error = kafka::try_set_property(scratch, name, value)) {
    node.fail(fmt::format("librdkafka refuses it: {}", *error));
  }
}

// The cursor records must not mix with a stream's records: readers of the stream would
// take them for data, and the gateway reads the whole topic back at start.
void check_offsets_topic(const ConfigNode& node, const KafkaConfig& kafka) {
  if (kafka.delivery != KafkaDelivery::exactly_once) {
    return;
  }
  for (const auto& [stream, topic] : kafka.topics) {
    if (topic == kafka.offsets_topic) {
      const ConfigNode key = node.child("offsets_topic");
      (key.defined() ? key : node.child("delivery"))
          .fail(fmt::format("the offsets topic '{}' is also the topic of the {} stream; give "
                            "the cursor records a topic of their own",
                            topic, stream_name(stream)));
    }
  }
}

const OptionTable<KafkaConfig>& kafka_options() {
  static const OptionTable<KafkaConfig> table = {
      custom<KafkaConfig>("bootstrap_servers", "string",
                          "`host:port,host:port` (an optional `scheme://` per broker); each entry "
                          "needs a port.",
                          [](KafkaConfig& kafka, const ConfigNode& node) {
                            kafka.bootstrap_servers = parse_bootstrap_servers(node);
                          })
          .required(),
      declared<KafkaConfig>("topics", "map", "Topic per stream: `topics.<stream>` below.")
          .shown_default("below"),
      choice<KafkaConfig>(
          "manage_topics", &KafkaConfig::manage_topics,
          {{"off", TopicManagement::off},
           {"check", TopicManagement::check},
           {"create", TopicManagement::create}},
          "What the gateway does at start, in the background (ingest never waits for it), "
          "when a topic is declared in the map form: `check` compares every stream's topic "
          "with its declared settings and warns about a missing or differing one (metrics "
          "`kafka_topics_missing`, `kafka_topics_differing`); `create` also creates a missing "
          "topic that declares its `partitions`. An existing topic is never changed. "
          "`edgegw topics` does the same on demand."),
      duration<KafkaConfig>("admin_timeout", &KafkaConfig::admin_timeout, between(100, 300'000),
                            "Bounds each request of topic management (metadata, configs, "
                            "creation); an unreachable cluster is reported after it."),
      text<KafkaConfig>("key", &KafkaConfig::key_template,
                        "Record key template: `{device}` and tag names, e.g. `{site}/{device}`. "
                        "It keys every record about a device, on every stream (telemetry, "
                        "aggregates, alerts, predictions, dead letters), so that they share a "
                        "partition and keep their order; the gateway's own records (health "
                        "alerts, loss reports) take the gateway id, and a dead letter without a "
                        "device its topic. Each placeholder must be `{device}` or a tag of some "
                        "mapping: one that nothing fills would render empty."),
      integer<KafkaConfig>("max_in_flight", &KafkaConfig::max_in_flight, at_least(1),
                           "Records produced but not yet acknowledged; beyond it the log holds "
                           "them."),
      choice<KafkaConfig>(
          "delivery", &KafkaConfig::delivery,
          {{"at_least_once", KafkaDelivery::at_least_once},
           {"exactly_once", KafkaDelivery::exactly_once}},
          "`at_least_once`: a crash may send records again (recognisable by their "
          "`edgegw-offset` header). `exactly_once`: the forwarder produces ranges of the log "
          "in Kafka transactions that also carry its cursor (to `offsets_topic`), and reads "
          "the cursor back from Kafka at start; MQTT redeliveries are dropped by their "
          "sequence number. Consumers must read with `isolation.level=read_committed`; what "
          "it needs from the cluster: docs/delivery-guarantees.md."),
      text<KafkaConfig>("transactional_id", &KafkaConfig::transactional_id,
                        "`exactly_once`: the producer's `transactional.id`, also the key of "
                        "the cursor record. Must be unique per gateway: a second gateway with "
                        "the same id fences the first.",
                        EmptyValue::refused)
          .shown_default("`edgegw-<gateway.id>`"),
      text<KafkaConfig>("offsets_topic", &KafkaConfig::offsets_topic,
                        "`exactly_once`: the topic of the cursor records (one per transaction, "
                        "keyed by the transactional id); make it compacted.",
                        EmptyValue::refused),
      integer<KafkaConfig>("transaction_max_records", &KafkaConfig::transaction_max_records,
                           between(1, 100'000),
                           "`exactly_once`: log records per transaction at most."),
      duration<KafkaConfig>("transaction_interval", &KafkaConfig::transaction_interval,
                            between(0, 60'000),
                            "`exactly_once`: the least time between two transactions' starts, "
                            "to gather records; a record's added latency is up to this plus a "
                            "commit."),
      duration<KafkaConfig>("transaction_timeout", &KafkaConfig::transaction_timeout,
                            between(1000, 900'000),
                            "`exactly_once`: librdkafka's `transaction.timeout.ms` (and "
                            "`message.timeout.ms`); a transaction not committed within it is "
                            "aborted and its range sent again. The brokers' "
                            "`transaction.max.timeout.ms` must allow it."),
      declared<KafkaConfig>(
          "properties", "map",
          "Any librdkafka producer property, passed as is (`compression.type`, `linger.ms`, "
          "`batch.size`, `security.protocol`, `sasl.*`, `ssl.*`, ...). `check-config` hands each "
          "to librdkafka, so an unknown name or a bad value is reported with its line. A "
          "secret may come from elsewhere: `<name>_env: VAR` or `<name>_file: PATH` (first "
          "line), e.g. `sasl.password_file`. Properties that load code or run commands "
          "(`plugin.library.paths`, `sasl.kerberos.kinit.cmd`, `ssl.engine.location`, "
          "`ssl.providers`) are refused unless listed in `allow_unsafe_properties`.")
          .shown_default("see below"),
      list<KafkaConfig>("allow_unsafe_properties", &KafkaConfig::allowed_unsafe_properties,
                        "Properties of those four that the config may set after all."),
  };
  return table;
}

}  // namespace

KafkaConfig parse_kafka_section(const ConfigNode& node) {
  KafkaConfig kafka;
  read_options(node, kafka_options(), kafka);
  parse_kafka_topics(node.child("topics"), kafka);
  check_offsets_topic(node, kafka);
  const kafka::KafkaConf scratch(rd_kafka_conf_new());
  const ConfigNode properties = node.child("properties");
  for (const auto& [key, value] : properties.entries()) {
    const std::string name = indirect_secret_name(key).value_or(key);
    if (kafka.properties.contains(name)) {
      continue;  // a secret's other form: read_secret() below refused it if both are given
    }
    std::optional<std::string> given = read_secret(properties, name);
    if (!given) {
      // No value (`linger.ms:`, or `${VAR:-}` with VAR unset) is an absent key, as
      // everywhere in the config: librdkafka keeps its default.
      continue;
    }
    kafka.properties[name] = std::move(*given);
    check_property(scratch.get(), value, kafka, name, kafka.properties[name]);
  }
  return kafka;
}

std::vector<OptionDoc> describe_kafka_section() {
  std::vector<OptionDoc> rows = describe_options(kafka_options());
  const std::vector<OptionDoc> topics = describe_kafka_topics();
  rows.insert(rows.begin() + 2, topics.begin(), topics.end());
  return rows;
}

}  // namespace edgegw::config
