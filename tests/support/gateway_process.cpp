#include "support/gateway_process.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <csignal>
#include <sstream>
#include <thread>
#include <utility>

namespace edgegw::test {

std::string gateway_test_config_yaml(const GatewayTestConfig& c) {
  return fmt::format(
      R"(gateway:
  id: gw-test
mqtt:
  broker: {broker}
  client_id: {client_id}
  qos: 1
  subscriptions: {subscriptions}
  reconnect_min: 200ms
  reconnect_max: 2s
{mqtt_extra}
mappings:
  - name: plant-json
    topic: "plant/{{site}}/{{device}}/telemetry"
    format: json
    tags: {tags}
    sequence: seq
    forward: {forward}
    timestamp: {{ field: ts, format: milliseconds }}
{mapping_extra}
    sensors:
      - {{ name: temperature, field: temp, unit: degC, min: -50, max: 200 }}
      - {{ name: pressure, field: p.value, unit: bar, scale: 0.01 }}
{sensors_extra}
{mappings_extra}
kafka:
  bootstrap_servers: "{bootstrap}"
{kafka_extra}
buffer:
  directory: {buffer}
  segment_size: {segment_size}
  fsync: interval
  fsync_interval: 100ms
{buffer_extra}
http:
  listen: 127.0.0.1:{http_port}
{http_token}
{analytics}
)",
      fmt::arg("broker", c.broker_uri), fmt::arg("client_id", c.client_id),
      fmt::arg("subscriptions", c.subscriptions), fmt::arg("tags", c.tags),
      fmt::arg("sensors_extra", c.sensors_extra), fmt::arg("mqtt_extra", c.mqtt_extra),
      fmt::arg("segment_size", c.segment_size), fmt::arg("bootstrap", c.bootstrap),
      fmt::arg("kafka_extra", c.kafka_extra), fmt::arg("buffer", c.buffer_dir.string()),
      fmt::arg("buffer_extra", c.buffer_extra), fmt::arg("http_port", c.http_port),
      fmt::arg("forward", c.forward), fmt::arg("mapping_extra", c.mapping_extra),
      fmt::arg("mappings_extra", c.mappings_extra), fmt::arg("analytics", c.analytics),
      fmt::arg("http_token", c.http_token.empty() ? "" : fmt::format("  token: {}", c.http_token)));
}

GatewayProcess::GatewayProcess(const std::filesystem::path& config_file,
                               const std::filesystem::path& log_file, int http_port,
                               std::string http_token)
    : log_file_(log_file), http_port_(http_port), http_token_(std::move(http_token)) {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{EDGEGW_BINARY, "run", config_file.string()},
      log_file.string() + ".out", log_file);
}

bool GatewayProcess::reload(std::string_view outcome, int count,
                            std::chrono::milliseconds timeout) {
  process_->signal(SIGHUP);
  const auto occurrences = [&] {
    const std::string text = log();
    int n = 0;
    for (auto at = text.find(outcome); at != std::string::npos; at = text.find(outcome, at + 1)) {
      ++n;
    }
    return n;
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (occurrences() >= count) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

HttpAnswer GatewayProcess::post_reload(const std::string& token) const {
  httplib::Client client("127.0.0.1", http_port_);
  client.set_connection_timeout(std::chrono::seconds(1));
  client.set_read_timeout(std::chrono::seconds(90));  // the answer comes after the reload
  if (!token.empty()) {
    client.set_bearer_token_auth(token);
  }
  const auto res = client.Post("/-/reload");
  return res ? HttpAnswer{res->status, res->body} : HttpAnswer{};
}

bool GatewayProcess::wait_ready(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  httplib::Client client("127.0.0.1", http_port_);
  client.set_connection_timeout(std::chrono::seconds(1));
  if (!http_token_.empty()) {
    client.set_bearer_token_auth(http_token_);
  }
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) {
      return false;
    }
    if (auto res = client.Get("/readyz"); res && res->status == 200) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

double GatewayProcess::metric(const std::string& name) const {
  httplib::Client client("127.0.0.1", http_port_);
  client.set_connection_timeout(std::chrono::seconds(1));
  if (!http_token_.empty()) {
    client.set_bearer_token_auth(http_token_);
  }
  auto res = client.Get("/metrics");
  if (!res || res->status != 200) {
    return 0;
  }
  std::istringstream lines(res->body);
  std::string line;
  const std::string prefix = "edgegw_" + name + "{";
  double sum = 0;  // over the series of a labelled metric (reason, stream)
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0) {
      sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return sum;
}

double GatewayProcess::wait_metric(const std::string& name, double at_least,
                                   std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  double value = metric(name);
  while (value < at_least && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    value = metric(name);
  }
  return value;
}

void GatewayProcess::kill() {
  process_->signal(SIGKILL);
  process_->wait_for(std::chrono::seconds(10));
}

}  // namespace edgegw::test
