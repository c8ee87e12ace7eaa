#include "config/dashboard_section.hpp"

#include <fmt/format.h>

#include <string_view>

#include "config/option_table.hpp"
#include "http/listen_address.hpp"
#include "kafka/kafka_conf.hpp"

namespace edgegw::config {
namespace {

const OptionTable<DashboardConfig>& file_options() {
  static const OptionTable<DashboardConfig> table = {
      declared<DashboardConfig>("http", "map",
                                "Where the page is served and its bounds: `http.*` below.")
          .shown_default("below"),
      declared<DashboardConfig>("kafka", "map",
                                "The cluster and topics to consume: `kafka.*` below.")
          .shown_default("below"),
      declared<DashboardConfig>("limits", "map",
                                "What is kept in memory, at most: `limits.*` below.")
          .shown_default("below"),
      declared<DashboardConfig>(
          "sites", "map",
          "Gateway id to site name (`edge-01: north`). Records carry no site; a gateway not "
          "listed is its own site.")
          .shown_default("none"),
  };
  return table;
}

const OptionTable<DashboardHttpConfig>& http_options() {
  using H = DashboardHttpConfig;
  static const OptionTable<H> table = {
      text<H>("listen", &H::listen,
              "`host:port` of the page, its event stream and `/api/state`; loopback by default. "
              "`0` as the port picks a free one (logged)."),
      integer<H>("max_clients", &H::max_clients, between(1, 10000),
                 "Live event streams at once; one more is answered 503."),
      byte_size<H>("max_client_backlog", &H::max_client_backlog, between(4096, 64.0 * 1024 * 1024),
                   "Events queued for one stream that its client has not taken yet; a client "
                   "that falls further behind is disconnected (its page reconnects and reloads "
                   "the state)."),
      duration<H>("request_timeout", &H::request_timeout, between(100, 300000),
                  "For a request head to arrive and a plain answer to leave."),
      duration<H>("keepalive_interval", &H::keepalive_interval, between(1000, 300000),
                  "A comment line on an idle event stream, so that proxies keep it open and a "
                  "dead client is noticed."),
  };
  return table;
}

const OptionTable<DashboardKafkaConfig>& kafka_options() {
  using K = DashboardKafkaConfig;
  static const OptionTable<K> table = {
      text<K>("bootstrap_servers", &K::bootstrap_servers,
              "`host:port[,host:port...]` of the Kafka cluster the gateways produce to.",
              EmptyValue::refused),
      text<K>("group", &K::group,
              "Consumer group: offsets are committed to it (lag shows in Kafka's tools). Give "
              "each dashboard its own: instances sharing a group split the partitions, and "
              "each would show part of the fleet.",
              EmptyValue::refused),
      choice<K>("start", &K::replay_retained, {{"earliest", true}, {"committed", false}},
                "Where each start reads from. `earliest`: every retained record, so that the "
                "open alerts are rebuilt (the state is in memory only). `committed`: the "
                "group's committed offsets (a new group: the earliest), quicker over a long "
                "retention but without the alerts raised before."),
      declared<K>("topics", "map", "Topic per stream: `topics.<stream>` below.")
          .shown_default("below"),
      declared<K>("properties", "map",
                  "librdkafka consumer properties, passed as they are (TLS, SASL). "
                  "`bootstrap.servers`, `group.id` and properties that load code are refused.")
          .shown_default("none"),
  };
  return table;
}

const OptionTable<DashboardKafkaConfig>& topic_options() {
  using K = DashboardKafkaConfig;
  static const OptionTable<K> table = {
      text<K>("alerts", &K::alerts_topic, "The gateways' `kafka.topics.alerts`.",
              EmptyValue::refused),
      text<K>("aggregates", &K::aggregates_topic, "The gateways' `kafka.topics.aggregates`.",
              EmptyValue::refused),
      text<K>("predictions", &K::predictions_topic, "The gateways' `kafka.topics.predictions`.",
              EmptyValue::refused),
  };
  return table;
}

const OptionTable<DashboardLimits>& limit_options() {
  using L = DashboardLimits;
  static const OptionTable<L> table = {
      integer<L>("max_devices", &L::max_devices, between(1, 1000000),
                 "Devices shown; beyond it the one heard from least recently is forgotten."),
      integer<L>("max_open_alerts", &L::max_open_alerts, between(1, 1000000),
                 "Open alerts; beyond it the longest open is forgotten (not cleared)."),
      integer<L>("max_history", &L::max_history, between(1, 100000),
                 "Cleared episodes in the recent history."),
      integer<L>("max_points", &L::max_points, between(2, 10000),
                 "Aggregate windows per sensor chart."),
      integer<L>("max_sensors", &L::max_sensors, between(1, 1000), "Sensor charts per device."),
      integer<L>("max_device_episodes", &L::max_device_episodes, between(1, 1000),
                 "Cleared episodes per device, marked on its charts."),
  };
  return table;
}

// Set by the dashboard itself, or able to load code or run a command as the dashboard
// (kafka::is_code_loading_property, which the gateway's section refuses too).
bool is_refused_property(std::string_view name) {
  return name == "bootstrap.servers" || name == "group.id" || kafka::is_code_loading_property(name);
}

std::map<std::string, std::string> read_properties(const ConfigNode& node) {
  std::map<std::string, std::string> properties;
  const kafka::KafkaConf scratch(rd_kafka_conf_new());
  for (const auto& [name, value] : node.entries()) {
    if (is_refused_property(name)) {
      value.fail("is set by the dashboard or could run code; it cannot be given here");
    }
    const std::string text = value.as<std::string>();
    if (const auto problem = kafka::try_set_property(scratch.get(), name, text)) {
      value.fail(*problem);
    }
    properties[name] = text;
  }
  return properties;
}

std::map<std::string, std::string> read_sites(const ConfigNode& node) {
  std::map<std::string, std::string> sites;
  for (const auto& [gateway, site] : node.entries()) {
    std::string name = site.as<std::string>();
    if (name.empty()) {
      site.fail("a site name must not be empty");
    }
    sites[gateway] = std::move(name);
  }
  return sites;
}

}  // namespace

DashboardConfig load_dashboard_config(const std::string& path) {
  DashboardConfig config = parse_dashboard_config(ConfigNode::load_file(path));
  config.source = path;
  return config;
}

DashboardConfig parse_dashboard_config(const ConfigNode& root) {
  DashboardConfig config;
  read_options(root, file_options(), config);
  read_options(root.child("http"), http_options(), config.http);
  if (const auto address = http::parse_listen_address(config.http.listen); !address) {
    root.child("http").child("listen").fail(address.error().message);
  }
  const ConfigNode kafka = root.child("kafka");
  read_options(kafka, kafka_options(), config.kafka);
  read_options(kafka.child("topics"), topic_options(), config.kafka);
  config.kafka.properties = read_properties(kafka.child("properties"));
  read_options(root.child("limits"), limit_options(), config.limits);
  config.sites = read_sites(root.child("sites"));
  return config;
}

std::vector<OptionDoc> describe_dashboard_file() {
  return describe_options(file_options());
}

std::vector<OptionDoc> describe_dashboard_http() {
  return describe_options(http_options());
}

std::vector<OptionDoc> describe_dashboard_kafka() {
  std::vector<OptionDoc> rows = describe_options(kafka_options());
  const std::vector<OptionDoc> topics = describe_options(topic_options(), "topics.");
  rows.insert(rows.begin() + 4, topics.begin(), topics.end());
  return rows;
}

std::vector<OptionDoc> describe_dashboard_limits() {
  return describe_options(limit_options());
}

}  // namespace edgegw::config
