// The dashboard's config file: defaults, every section, and errors naming file, line
// and key.

#include <catch2/catch.hpp>

#include <string>

#include "config/config_node.hpp"
#include "config/dashboard_section.hpp"
#include "edgegw/config_error.hpp"

using Catch::Contains;
using edgegw::DashboardConfig;
using edgegw::config::ConfigError;
using edgegw::config::ConfigNode;
using edgegw::config::parse_dashboard_config;

namespace {

DashboardConfig parse(const std::string& yaml) {
  return parse_dashboard_config(ConfigNode::load_string(yaml, "dash.yaml"));
}

}  // namespace

TEST_CASE("an empty dashboard config takes the defaults", "[unit][dashboard][config]") {
  const DashboardConfig config = parse("{}\n");
  CHECK(config.http.listen == "127.0.0.1:8088");
  CHECK(config.kafka.group == "edgegw-dashboard");
  CHECK(config.kafka.alerts_topic == "edgegw.alerts");
  CHECK(config.kafka.replay_retained);
  CHECK(config.limits.max_points == 120);
}

TEST_CASE("a dashboard config fills every section", "[unit][dashboard][config]") {
  const DashboardConfig config = parse(R"(
http: { listen: "0.0.0.0:9000", max_clients: 4, max_client_backlog: 64KiB }
kafka:
  bootstrap_servers: k1:9092,k2:9092
  group: ops
  start: committed
  topics: { alerts: a, aggregates: b, predictions: c }
  properties: { security.protocol: ssl }
limits: { max_devices: 10, max_history: 5 }
sites: { edge-01: north }
)");
  CHECK(config.http.listen == "0.0.0.0:9000");
  CHECK(config.http.max_clients == 4);
  CHECK(config.http.max_client_backlog == 64 * 1024);
  CHECK(config.kafka.bootstrap_servers == "k1:9092,k2:9092");
  CHECK_FALSE(config.kafka.replay_retained);
  CHECK(config.kafka.predictions_topic == "c");
  CHECK(config.kafka.properties.at("security.protocol") == "ssl");
  CHECK(config.limits.max_devices == 10);
  CHECK(config.sites.at("edge-01") == "north");
}

TEST_CASE("a bad dashboard config names file, line and key", "[unit][dashboard][config]") {
  CHECK_THROWS_WITH(parse("http:\n  listen: nowhere\n"),
                    Contains("dash.yaml:2: http.listen: 'nowhere' is not host:port"));
  CHECK_THROWS_WITH(parse("limits:\n  max_point: 3\n"),
                    Contains("dash.yaml:2: limits.max_point: unknown key (did you mean "
                             "'max_points'?)"));
  CHECK_THROWS_WITH(parse("limits:\n  max_points: 1\n"),
                    Contains("dash.yaml:2: limits.max_points: must be between 2 and 10000"));
  CHECK_THROWS_WITH(parse("kafka:\n  properties:\n    group.id: x\n"),
                    Contains("dash.yaml:3: kafka.properties.group.id: is set by the dashboard"));
  CHECK_THROWS_WITH(parse("kafka:\n  properties:\n    plugin.library.paths: /x.so\n"),
                    Contains("dash.yaml:3: kafka.properties.plugin.library.paths: is set by the "
                             "dashboard or could run code"));
  CHECK_THROWS_WITH(parse("kafka:\n  properties:\n    no.such.thing: x\n"),
                    Contains("dash.yaml:3: kafka.properties.no.such.thing:"));
  CHECK_THROWS_WITH(parse("kafka:\n  start: latest\n"), Contains("dash.yaml:2: kafka.start:"));
  CHECK_THROWS_WITH(parse("kafka:\n  group: \"\"\n"),
                    Contains("dash.yaml:2: kafka.group: must not be empty"));
  CHECK_THROWS_WITH(parse("sites:\n  edge-01: \"\"\n"),
                    Contains("dash.yaml:2: sites.edge-01: a site name must not be empty"));
}

TEST_CASE("the example dashboard config is valid", "[unit][dashboard][config]") {
  const DashboardConfig config =
      edgegw::config::load_dashboard_config(EDGEGW_SOURCE_DIR "/config/dashboard.example.yaml");
  CHECK(config.sites.at("demo-gw") == "demo-plant");
}
