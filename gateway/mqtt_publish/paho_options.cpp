#include "mqtt_publish/paho_options.hpp"

namespace edgegw::mqtt_publish {

mqtt::ssl_options make_ssl_options(const TlsConfig& tls) {
  mqtt::ssl_options_builder builder;
  if (!tls.ca_file.empty()) {
    builder.trust_store(tls.ca_file);
  }
  if (!tls.cert_file.empty()) {
    builder.key_store(tls.cert_file);
    builder.private_key(tls.key_file);
  }
  builder.enable_server_cert_auth(tls.verify_server);
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

}  // namespace edgegw::mqtt_publish
