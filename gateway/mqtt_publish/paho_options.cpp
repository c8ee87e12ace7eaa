#include "mqtt_publish/paho_options.hpp"

#include <MQTTAsync.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdlib>
#include <mutex>

namespace edgegw::mqtt_publish {

// Forward-secret AEAD suites only: none exists before TLS 1.2, so a broker that offers
// only TLS 1.0 or 1.1 finds no common cipher. (Paho C with OpenSSL 1.1+ ignores its own
// sslVersion for the minimum; TLS 1.3 suites are configured apart and stay OpenSSL's.)
constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20";

mqtt::ssl_options make_ssl_options(const TlsConfig& tls) {
  mqtt::ssl_options_builder builder;
  if (!tls.ca_file.empty()) {
    builder.trust_store(tls.ca_file);
  }
  if (!tls.ca_dir.empty()) {
    builder.ca_path(tls.ca_dir);
  }
  if (!tls.cert_file.empty()) {
    builder.key_store(tls.cert_file);
    builder.private_key(tls.key_file);
  }
  if (!tls.key_password.empty()) {
    builder.private_keypassword(tls.key_password);
  }
  builder.ssl_version(MQTT_SSL_VERSION_TLS_1_2);
  builder.enabled_cipher_suites(tls.ciphers.empty() ? kTls12Ciphers : tls.ciphers);
  builder.enable_server_cert_auth(tls.verify_server);
  // Also check that the certificate names the host dialled: a valid certificate of
  // another machine is not the broker.
  builder.verify(tls.verify_server);
  // Paho itself says only "TCP/TLS connect failure"; OpenSSL's reason (an unknown CA, a
  // name mismatch, an expired certificate) is what tells the operator what to fix.
  builder.error_handler([](const std::string& reason) {
    spdlog::warn("MQTT TLS handshake failed. reason={}", reason.substr(0, reason.find('\n')));
  });
  return builder.finalize();
}

std::string server_uri(const std::string& broker) {
  if (broker.rfind("mqtts://", 0) == 0) {
    return "ssl://" + broker.substr(8);
  }
  if (broker.rfind("mqtt://", 0) == 0) {
    return "tcp://" + broker.substr(7);
  }
  return broker;
}

std::string describe_connect_failure(const mqtt::exception& e) {
  // MQTT 3.1.1, section 3.2.2.3: the CONNACK return codes of a refused connection.
  static constexpr std::array<const char*, 6> kRefusals = {
      "",
      "unacceptable protocol version",
      "client identifier rejected",
      "server unavailable",
      "bad user name or password",
      "not authorized (check the user name and password)"};
  const int code = e.get_return_code();
  std::string what = e.what();
  if (what.find("CONNACK") != std::string::npos && code > 0 &&
      code < static_cast<int>(kRefusals.size())) {
    what += std::string(": the broker refused the connection: ") + kRefusals.at(code);
  }
  return what;
}

PahoProcessSettings::PahoProcessSettings() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("MQTT_C_CLIENT_TRACE") == nullptr &&
        std::getenv("MQTT_C_CLIENT_TRACE_LEVEL") == nullptr) {
      MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_ERROR);
    }
    MQTTAsync_init_options options = MQTTAsync_init_options_initializer;
    options.do_openssl_init = 0;
    MQTTAsync_global_init(&options);
  });
}

}  // namespace edgegw::mqtt_publish
