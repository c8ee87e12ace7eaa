#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/sections.hpp"
#include "local_alerts/alert_topic.hpp"
#include "mapping/topic_template.hpp"

namespace edgegw::config {
namespace {

// The password may sit in the file, in an environment variable, or in a file of its own
// (a container secret); it is never logged.
std::string resolve_password(const ConfigNode& mqtt) {
  int sources = 0;
  std::string password;
  if (mqtt.has("password")) {
    ++sources;
    password = mqtt.child("password").as<std::string>();
  }
  if (mqtt.has("password_env")) {
    ++sources;
    const ConfigNode env = mqtt.child("password_env");
    const std::string name = env.as<std::string>();
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      env.fail(fmt::format("environment variable '{}' is not set", name));
    }
    password = value;
  }
  if (mqtt.has("password_file")) {
    ++sources;
    const ConfigNode file = mqtt.child("password_file");
    std::ifstream in(file.as<std::string>());
    if (!in) {
      file.fail(fmt::format("cannot read '{}'", file.as<std::string>()));
    }
    std::getline(in, password);  // one line; a trailing newline is not part of it
  }
  if (sources > 1) {
    mqtt.fail("give only one of password, password_env and password_file");
  }
  return password;
}

bool is_tls_scheme(const std::string& broker) {
  return broker.rfind("ssl://", 0) == 0 || broker.rfind("mqtts://", 0) == 0;
}

// A file the TLS handshake needs: checked now, because Paho only says that the
// connection failed.
std::string readable_file(const ConfigNode& node, const std::string& key) {
  std::string path = node.get<std::string>(key, "");
  if (!path.empty() && !std::ifstream(path)) {
    node.child(key).fail(fmt::format("cannot read '{}'", path));
  }
  return path;
}

TlsConfig parse_tls(const ConfigNode& node, const std::string& broker) {
  TlsConfig tls;
  tls.enabled = is_tls_scheme(broker);
  if (!node.defined()) {
    return tls;
  }
  node.check_keys({"enabled", "ca_file", "cert_file", "key_file", "verify_server"});
  tls.enabled = node.get<bool>("enabled", true);
  // Paho speaks TLS only to ssl:// and mqtts:// brokers; anything else would quietly
  // send the password and the plant's data in clear text.
  if (tls.enabled != is_tls_scheme(broker)) {
    node.fail(tls.enabled ? fmt::format("TLS needs an ssl:// or mqtts:// broker, not '{}'", broker)
                          : fmt::format("'{}' always uses TLS; drop 'enabled: false'", broker));
  }
  tls.ca_file = readable_file(node, "ca_file");
  tls.cert_file = readable_file(node, "cert_file");
  tls.key_file = readable_file(node, "key_file");
  tls.verify_server = node.get<bool>("verify_server", true);
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    node.fail("cert_file and key_file go together");
  }
  return tls;
}

// Why `filter` is not a valid MQTT subscription filter, or empty. A shared subscription
// (`$share/group/filter`) is checked on its filter.
std::string filter_problem(std::string_view filter) {
  if (filter.rfind("$share/", 0) == 0) {
    const std::size_t slash = filter.find('/', 7);
    if (slash == std::string_view::npos || slash == 7) {
      return "a shared subscription is $share/<group>/<filter>";
    }
    filter.remove_prefix(slash + 1);
  }
  if (filter.empty()) {
    return "an empty filter matches nothing";
  }
  const std::vector<std::string_view> levels = mapping::split_topic(filter);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].size() > 1 && levels[i].find_first_of("+#") != std::string_view::npos) {
      return "'+' and '#' must fill a whole level";
    }
    if (levels[i] == "#" && i + 1 != levels.size()) {
      return "'#' must be the last level";
    }
  }
  return "";
}

AlertTopicConfig parse_alert_topic(const ConfigNode& node) {
  AlertTopicConfig alerts;
  if (!node.defined()) {
    return alerts;
  }
  node.check_keys({"enabled", "topic", "qos", "retain", "min_severity", "max_buffered"});
  alerts.enabled = node.get<bool>("enabled", true);
  alerts.topic = node.get<std::string>("topic", alerts.topic);
  if (alerts.topic.empty() || alerts.topic.find_first_of("+#") != std::string::npos) {
    node.child("topic").fail("must be a topic name to publish to, without + or # wildcards");
  }
  // Filled with nothing, a template keeps only the braces of unknown placeholders.
  if (local_alerts::alert_topic(alerts.topic, "", "", "", "").find_first_of("{}") !=
      std::string::npos) {
    node.child("topic").fail(
        "unknown placeholder; use {gateway}, {device}, {source} and {severity}");
  }
  alerts.qos = node.get<int>("qos", alerts.qos);
  if (alerts.qos < 0 || alerts.qos > 2) {
    node.child("qos").fail("must be 0, 1 or 2");
  }
  alerts.retain = node.get<bool>("retain", alerts.retain);
  if (node.has("min_severity")) {
    alerts.min_severity = node.child("min_severity").as_choice({"info", "warning", "critical"});
  }
  alerts.max_buffered = static_cast<std::size_t>(
      node.get<std::int64_t>("max_buffered", static_cast<std::int64_t>(alerts.max_buffered)));
  if (alerts.max_buffered == 0) {
    node.child("max_buffered").fail("must be at least 1");
  }
  return alerts;
}

}  // namespace

MqttConfig parse_mqtt_section(const ConfigNode& node) {
  node.check_keys({"broker", "client_id", "version", "subscriptions", "qos", "persistent_session",
                   "keep_alive", "reconnect_min", "reconnect_max", "connect_timeout", "max_payload",
                   "username", "password", "password_env", "password_file", "tls", "alerts"});
  MqttConfig mqtt;
  mqtt.broker = node.required("broker").as<std::string>();
  if (mqtt.broker.rfind("tcp://", 0) != 0 && mqtt.broker.rfind("ssl://", 0) != 0 &&
      mqtt.broker.rfind("mqtt://", 0) != 0 && mqtt.broker.rfind("mqtts://", 0) != 0) {
    node.child("broker").fail(
        fmt::format("'{}' should look like tcp://host:1883 or ssl://host:8883", mqtt.broker));
  }
  mqtt.client_id = node.get<std::string>("client_id", mqtt.client_id);
  if (node.has("version")) {
    const std::string v = node.child("version").as_choice({"3.1.1", "5"});
    mqtt.mqtt_version = v == "5" ? 5 : 4;
  }
  mqtt.subscriptions = node.get<std::vector<std::string>>("subscriptions", {});
  for (const std::string& filter : mqtt.subscriptions) {
    if (const std::string problem = filter_problem(filter); !problem.empty()) {
      node.child("subscriptions").fail(fmt::format("'{}': {}", filter, problem));
    }
  }
  mqtt.qos = node.get<int>("qos", mqtt.qos);
  if (mqtt.qos < 0 || mqtt.qos > 2) {
    node.child("qos").fail("must be 0, 1 or 2");
  }
  mqtt.persistent_session = node.get<bool>("persistent_session", mqtt.persistent_session);
  if (node.has("keep_alive")) {
    const std::chrono::milliseconds keep_alive = node.child("keep_alive").as_duration();
    // MQTT counts keep-alive in whole seconds; 0 switches it off, which is never meant here.
    if (keep_alive < std::chrono::seconds(1)) {
      node.child("keep_alive").fail("must be at least 1s");
    }
    mqtt.keep_alive = std::chrono::duration_cast<std::chrono::seconds>(keep_alive);
  }
  if (node.has("reconnect_min")) {
    mqtt.reconnect_min = node.child("reconnect_min").as_duration();
  }
  if (node.has("reconnect_max")) {
    mqtt.reconnect_max = node.child("reconnect_max").as_duration();
  }
  if (mqtt.reconnect_min > mqtt.reconnect_max) {
    node.child("reconnect_min").fail("must not exceed reconnect_max");
  }
  if (node.has("connect_timeout")) {
    mqtt.connect_timeout = std::chrono::duration_cast<std::chrono::seconds>(
        node.child("connect_timeout").as_duration());
  }
  if (node.has("max_payload")) {
    mqtt.max_payload_bytes = node.child("max_payload").as_bytes();
  }
  mqtt.username = node.get<std::string>("username", "");
  mqtt.password = resolve_password(node);
  if (!mqtt.password.empty() && mqtt.username.empty()) {
    const char* given = node.has("password")       ? "password"
                        : node.has("password_env") ? "password_env"
                                                   : "password_file";
    node.child(given).fail("a password needs a username (MQTT 3.1.1 sends none without one)");
  }
  mqtt.tls = parse_tls(node.child("tls"), mqtt.broker);
  mqtt.alerts = parse_alert_topic(node.child("alerts"));
  return mqtt;
}

}  // namespace edgegw::config
