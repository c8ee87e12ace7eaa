#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "config/option_table.hpp"
#include "config/secret_source.hpp"
#include "config/sections.hpp"
#include "local_alerts/alert_topic.hpp"
#include "mapping/topic_template.hpp"

namespace edgegw::config {
namespace {

bool is_tls_scheme(const std::string& broker) {
  return broker.rfind("ssl://", 0) == 0 || broker.rfind("mqtts://", 0) == 0;
}

std::string parse_broker(const ConfigNode& node) {
  std::string broker = node.as<std::string>();
  if (broker.rfind("tcp://", 0) != 0 && broker.rfind("ssl://", 0) != 0 &&
      broker.rfind("mqtt://", 0) != 0 && broker.rfind("mqtts://", 0) != 0) {
    node.fail(fmt::format("'{}' should look like tcp://host:1883 or ssl://host:8883", broker));
  }
  return broker;
}

constexpr std::string_view kPassword = "the MQTT password";
constexpr std::string_view kKeyPassphrase = "the passphrase of an encrypted `key_file`";

const OptionTable<TlsConfig>& tls_options() {
  static const OptionTable<TlsConfig> table = {
      flag<TlsConfig>("enabled", &TlsConfig::enabled,
                      "TLS follows the broker's scheme: a `tls` section on a `tcp://` broker is an "
                      "error (it would otherwise connect in clear text), and so is `enabled: "
                      "false` on an `ssl://` one.")
          .shown_default("`true` for `ssl://` and `mqtts://` brokers"),
      text<TlsConfig>("ca_file", &TlsConfig::ca_file,
                      "CA certificates (PEM) to verify the broker. The files must be "
                      "readable when the config is checked.")
          .shown_default("system"),
      text<TlsConfig>("ca_dir", &TlsConfig::ca_dir,
                      "A directory of CA certificates, by hash (`openssl rehash`), instead of or "
                      "beside `ca_file`."),
      text<TlsConfig>("cert_file", &TlsConfig::cert_file,
                      "Client certificate (PEM), together with `key_file`."),
      text<TlsConfig>("key_file", &TlsConfig::key_file,
                      "Client key (PEM), together with `cert_file`; keep it mode 0600 "
                      "(`check-config` warns otherwise)."),
      secret<TlsConfig>("key_password", SecretForm::value, kKeyPassphrase),
      secret<TlsConfig>("key_password", SecretForm::env, kKeyPassphrase),
      secret<TlsConfig>("key_password", SecretForm::file, kKeyPassphrase),
      flag<TlsConfig>("verify_server", &TlsConfig::verify_server,
                      "Verify the broker's certificate: signed by a trusted CA, and naming the "
                      "host (or IP address) of `broker`. Off, anyone on the path can pose as "
                      "the broker: `check-config` warns (and fails with `--strict`)."),
      choice<TlsConfig>("min_version", &TlsConfig::min_version, {{"1.2", "1.2"}},
                        "The oldest TLS version accepted; TLS 1.3 is used when the broker "
                        "offers it. (The MQTT library cannot require 1.3 alone.)"),
      text<TlsConfig>("ciphers", &TlsConfig::ciphers,
                      "OpenSSL cipher list for TLS 1.2 (TLS 1.3 suites are OpenSSL's). The "
                      "default admits only forward-secret AEAD suites, which no TLS version "
                      "before 1.2 has: that is what enforces `min_version`.")
          .shown_default("`ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20`"),
  };
  return table;
}

// A file the TLS handshake needs: checked now, because Paho only says that the
// connection failed.
void check_readable(const ConfigNode& node, const std::string& path) {
  if (!path.empty() && !std::ifstream(path)) {
    node.fail(fmt::format("cannot read '{}'", path));
  }
}

TlsConfig parse_tls(const ConfigNode& node, const std::string& broker) {
  TlsConfig tls;
  tls.enabled = is_tls_scheme(broker);
  if (!node.defined()) {
    return tls;
  }
  tls.enabled = true;  // a tls section asks for it
  read_options(node, tls_options(), tls);
  // Paho speaks TLS only to ssl:// and mqtts:// brokers; anything else would quietly
  // send the password and the plant's data in clear text.
  if (tls.enabled != is_tls_scheme(broker)) {
    node.fail(tls.enabled ? fmt::format("TLS needs an ssl:// or mqtts:// broker, not '{}'", broker)
                          : fmt::format("'{}' always uses TLS; drop 'enabled: false'", broker));
  }
  check_readable(node.child("ca_file"), tls.ca_file);
  check_readable(node.child("cert_file"), tls.cert_file);
  check_readable(node.child("key_file"), tls.key_file);
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    node.fail("cert_file and key_file go together");
  }
  if (!tls.ca_dir.empty() && !std::filesystem::is_directory(tls.ca_dir)) {
    node.child("ca_dir").fail(fmt::format("'{}' is not a directory", tls.ca_dir));
  }
  tls.key_password = read_secret(node, "key_password").value_or("");
  if (!tls.key_password.empty() && tls.key_file.empty()) {
    node.child(secret_key(node, "key_password")).fail("a key password needs a key_file");
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

const OptionTable<AlertTopicConfig>& alert_options() {
  static const OptionTable<AlertTopicConfig> table = {
      flag<AlertTopicConfig>("enabled", &AlertTopicConfig::enabled,
                             "Also publish every alert transition on a local MQTT topic, for "
                             "actuation at the edge (a PLC, a local HMI).")
          .shown_default("`true` when `alerts` is present"),
      text<AlertTopicConfig>("topic", &AlertTopicConfig::topic,
                             "Topic per alert; placeholders `{gateway}`, `{device}`, `{source}` "
                             "(`ewma`, `rule:overheat`, `maintenance:pump-rul`, ...), "
                             "`{severity}`. No `+`/`#`."),
      integer<AlertTopicConfig>("qos", &AlertTopicConfig::qos, between(0, 2),
                                "QoS of those publishes."),
      flag<AlertTopicConfig>("retain", &AlertTopicConfig::retain,
                             "Retain each topic's latest transition, so that an actuator "
                             "connecting later reads every alert's current state "
                             "(`raised`/`updated` = active, `cleared` = not). Keep `{device}` and "
                             "`{source}` in the topic when retaining."),
      choice<AlertTopicConfig>("min_severity", &AlertTopicConfig::min_severity,
                               {{"info", "info"}, {"warning", "warning"}, {"critical", "critical"}},
                               "Lower ones stay off MQTT (they still go to Kafka)."),
      integer<AlertTopicConfig>("max_buffered", &AlertTopicConfig::max_buffered, at_least(1),
                                "Alerts awaiting the broker; beyond it the oldest are dropped and "
                                "counted (`edgegw_mqtt_alerts_dropped_total`)."),
  };
  return table;
}

AlertTopicConfig parse_alert_topic(const ConfigNode& node) {
  AlertTopicConfig alerts;
  if (!node.defined()) {
    return alerts;
  }
  alerts.enabled = true;  // an alerts section asks for them
  read_options(node, alert_options(), alerts);
  if (alerts.topic.empty() || alerts.topic.find_first_of("+#") != std::string::npos) {
    node.child("topic").fail("must be a topic name to publish to, without + or # wildcards");
  }
  // Filled with nothing, a template keeps only the braces of unknown placeholders.
  if (local_alerts::alert_topic(alerts.topic, "", "", "", "").find_first_of("{}") !=
      std::string::npos) {
    node.child("topic").fail(
        "unknown placeholder; use {gateway}, {device}, {source} and {severity}");
  }
  return alerts;
}

const OptionTable<MqttConfig>& mqtt_options() {
  static const OptionTable<MqttConfig> table = {
      custom<MqttConfig>(
          "broker", "string",
          "`tcp://host:1883`, `ssl://host:8883` (`mqtt://`, `mqtts://` also accepted).",
          [](MqttConfig& mqtt, const ConfigNode& node) { mqtt.broker = parse_broker(node); })
          .required(),
      text<MqttConfig>("client_id", &MqttConfig::client_id,
                       "The broker keeps the persistent session under this id: give each gateway "
                       "its own, and keep it across restarts."),
      choice<MqttConfig>(
          "version", &MqttConfig::mqtt_version, {{"3.1.1", 4}, {"5", 5}},
          "With 5 the session is kept with `clean_start=false` for `session_expiry`, the "
          "broker's own DISCONNECTs are logged with their reason, and mappings can "
          "read user properties and the content type (`$user.<name>`, "
          "`$content_type`)."),
      list<MqttConfig>("subscriptions", &MqttConfig::subscriptions,
                       "MQTT filters to subscribe to. By default one per mapping template (`{x}` "
                       "becomes `+`). Subscribe wider (e.g. `factory/#`) to see unexpected topics "
                       "on the dead-letter stream. Checked: `+` and `#` fill whole levels, `#` "
                       "comes last; `$share/<group>/<filter>` is allowed. Several gateways on one "
                       "broker: [operations.md](operations.md#scaling-out-several-gateways-on-one-"
                       "broker) (shared subscriptions lose per-device order).")
          .shown_default("derived"),
      integer<MqttConfig>(
          "qos", &MqttConfig::qos, between(0, 2),
          "QoS of the subscriptions. See [delivery-guarantees.md](delivery-guarantees.md)."),
      flag<MqttConfig>("persistent_session", &MqttConfig::persistent_session,
                       "`clean_session=false`: the broker queues messages while the gateway is "
                       "away."),
      duration<MqttConfig>(
          "session_expiry", &MqttConfig::session_expiry, {},
          "With `version: 5`: how long the broker keeps the session, and queues messages for "
          "it, after the gateway disconnects; `none`: for ever. A gateway away for longer "
          "starts afresh and what was published meanwhile is lost, so size it for the "
          "longest outage you ride out. Whole seconds, at least `1s`.",
          NoneValue::allowed),
      // MQTT counts keep-alive in whole seconds; 0 switches it off, which is never meant here.
      duration<MqttConfig>("keep_alive", &MqttConfig::keep_alive, at_least(1000),
                           "MQTT keep-alive (MQTT counts whole seconds)."),
      duration<MqttConfig>("reconnect_min", &MqttConfig::reconnect_min, {},
                           "Reconnect backoff, doubling from `reconnect_min` to `reconnect_max` "
                           "(Paho counts whole seconds once connected)."),
      duration<MqttConfig>("reconnect_max", &MqttConfig::reconnect_max, {},
                           "The longest wait between reconnect attempts."),
      duration<MqttConfig>("connect_timeout", &MqttConfig::connect_timeout, {},
                           "Per connection attempt."),
      byte_size<MqttConfig>(
          "max_payload", &MqttConfig::max_payload_bytes, {},
          "Larger payloads are not mapped: they go to the dead-letter stream (cut to "
          "64 KiB) with reason `oversized`. Paho has read the whole message by then: the "
          "broker's own limit (mosquitto `message_size_limit`; with `version: 5` the gateway "
          "also announces a Maximum Packet Size) is what bounds memory."),
      byte_size<MqttConfig>(
          "max_id_length", &MqttConfig::max_id_bytes, between(1, 4096),
          "The longest device id or tag value a topic may carry; a longer one, or one with "
          "control characters or invalid UTF-8, sends the message to the dead-letter stream "
          "with reason `bad_device`. Ids key Kafka records, per-device state and local alert "
          "topics, so this bounds them all.")
          .shown_default("256 B"),
      number<MqttConfig>(
          "dead_letter_rate", &MqttConfig::dead_letter_rate, at_least(0),
          "Dead letters stored per second per source (a device, or the topic of a message "
          "that names none), on average; `0`: no limit. Beyond it and the burst, a message's "
          "dead letter is not stored but counted in `edgegw_dead_letters_suppressed_total`, "
          "so that a storm of bad messages cannot fill the log."),
      integer<MqttConfig>("dead_letter_burst", &MqttConfig::dead_letter_burst, at_least(1),
                          "Dead letters a source may send at once before its rate applies."),
      text<MqttConfig>("username", &MqttConfig::username,
                       "MQTT user name. Required with a password: MQTT 3.1.1 sends no password "
                       "without one."),
      secret<MqttConfig>("password", SecretForm::value, kPassword),
      secret<MqttConfig>("password", SecretForm::env, kPassword),
      secret<MqttConfig>("password", SecretForm::file, kPassword),
      declared<MqttConfig>("tls", "map", "TLS to the broker: `tls.*` below.").shown_default("none"),
      declared<MqttConfig>("alerts", "map", "Alerts on a local MQTT topic: `alerts.*` below.")
          .shown_default("none"),
  };
  return table;
}

// MQTT 5's Session Expiry Interval is a 32-bit count of seconds whose largest value means
// "never"; one second less is the longest finite expiry.
constexpr std::chrono::seconds kLongestSessionExpiry{0xFFFFFFFE};

// The expiry only means something for an MQTT 5 session that outlives its connection.
void check_session_expiry(const ConfigNode& node, const MqttConfig& mqtt) {
  if (!node.defined()) {
    return;
  }
  if (mqtt.session_expiry.count() == 0 && node.as<std::string>() != "none") {
    node.fail(
        "must be at least 1s; `none` keeps the session for ever, and `persistent_session: "
        "false` ends it with the connection");
  }
  if (mqtt.session_expiry > kLongestSessionExpiry) {
    node.fail("must be at most 4294967294s (MQTT 5 counts it in 32 bits)");
  }
  if (mqtt.mqtt_version < 5) {
    node.fail(
        "needs `version: 5` (MQTT 3.1.1 sessions have no expiry; the broker's own "
        "setting, e.g. mosquitto's persistent_client_expiration, bounds them)");
  }
  if (!mqtt.persistent_session) {
    node.fail(
        "needs `persistent_session: true` (without it the session ends with the "
        "connection)");
  }
}

}  // namespace

MqttConfig parse_mqtt_section(const ConfigNode& node) {
  MqttConfig mqtt;
  read_options(node, mqtt_options(), mqtt);
  for (const std::string& filter : mqtt.subscriptions) {
    if (const std::string problem = filter_problem(filter); !problem.empty()) {
      node.child("subscriptions").fail(fmt::format("'{}': {}", filter, problem));
    }
  }
  check_session_expiry(node.child("session_expiry"), mqtt);
  if (mqtt.reconnect_min > mqtt.reconnect_max) {
    node.child("reconnect_min").fail("must not exceed reconnect_max");
  }
  mqtt.password = read_secret(node, "password").value_or("");
  if (!mqtt.password.empty() && mqtt.username.empty()) {
    node.child(secret_key(node, "password"))
        .fail("a password needs a username (MQTT 3.1.1 sends none without one)");
  }
  mqtt.tls = parse_tls(node.child("tls"), mqtt.broker);
  mqtt.alerts = parse_alert_topic(node.child("alerts"));
  return mqtt;
}

std::vector<OptionDoc> describe_mqtt_section() {
  std::vector<OptionDoc> rows = describe_options(mqtt_options());
  for (const std::vector<OptionDoc>& nested :
       {describe_options(tls_options(), "tls."), describe_options(alert_options(), "alerts.")}) {
    rows.insert(rows.end(), nested.begin(), nested.end());
  }
  return rows;
}

}  // namespace edgegw::config
