#include "config/security_audit.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "http/listen_address.hpp"

namespace edgegw::config {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_clear_text_broker(const std::string& broker) {
  return broker.rfind("tcp://", 0) == 0 || broker.rfind("mqtt://", 0) == 0;
}

// A file holding a secret that other users may read: a warning, not an error, because
// containers often mount secrets 0444 for a single-user namespace.
void check_private(const ConfigNode& key, std::vector<std::string>& out) {
  if (!key.defined()) {
    return;
  }
  const std::string path = key.as<std::string>();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    out.push_back(key.located(fmt::format(
        "'{}' is readable by other users (mode {:04o}); chmod 600 it", path, st.st_mode & 07777)));
  }
}

void audit_mqtt(const ConfigNode& mqtt, const MqttConfig& config, std::vector<std::string>& out) {
  if (is_clear_text_broker(config.broker) && !config.password.empty()) {
    out.push_back(mqtt.child("broker").located(
        "the MQTT password goes over clear text; use an ssl:// broker with `tls`"));
  }
  const ConfigNode tls = mqtt.child("tls");
  if (config.tls.enabled && !config.tls.verify_server) {
    out.push_back(tls.child("verify_server")
                      .located("the broker's certificate is not verified: anyone on the path can "
                               "pose as the broker"));
  }
  check_private(mqtt.child("password_file"), out);
  check_private(tls.child("key_file"), out);
  check_private(tls.child("key_password_file"), out);
}

void audit_kafka(const ConfigNode& kafka, const KafkaConfig& config,
                 std::vector<std::string>& out) {
  const ConfigNode properties = kafka.child("properties");
  const auto property = [&](const std::string& name) {
    const auto it = config.properties.find(name);
    return it == config.properties.end() ? std::string() : lowercase(it->second);
  };
  if (property("security.protocol") == "sasl_plaintext") {
    out.push_back(properties.child("security.protocol")
                      .located("SASL credentials go over clear text; use SASL_SSL"));
  }
  if (property("enable.ssl.certificate.verification") == "false") {
    out.push_back(properties.child("enable.ssl.certificate.verification")
                      .located("the brokers' certificates are not verified"));
  }
  if (property("ssl.endpoint.identification.algorithm") == "none") {
    out.push_back(properties.child("ssl.endpoint.identification.algorithm")
                      .located("the brokers' host names are not checked against their "
                               "certificates"));
  }
  for (const auto& [key, value] : properties.entries()) {
    if (key.ends_with("_file") || key == "ssl.key.location") {
      check_private(value, out);
    }
  }
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

void audit_http(const ConfigNode& http, const HttpConfig& config, std::vector<std::string>& out) {
  const Result<http::ListenAddress> address = http::parse_listen_address(config.listen);
  if (config.enabled && config.token.empty() && address && !is_loopback(address.value().host)) {
    out.push_back(http.child("listen").located(
        "the operations endpoint is reachable beyond this host without a token: anyone who "
        "can reach it reads /metrics and /; set http.token_file"));
  }
  check_private(http.child("token_file"), out);
}

}  // namespace

std::vector<std::string> audit_security(const ConfigNode& root, const GatewayConfig& config) {
  std::vector<std::string> findings;
  audit_mqtt(root.child("mqtt"), config.mqtt, findings);
  audit_kafka(root.child("kafka"), config.kafka, findings);
  audit_http(root.child("http"), config.http, findings);
  return findings;
}

}  // namespace edgegw::config
