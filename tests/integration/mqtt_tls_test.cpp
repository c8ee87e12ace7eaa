// The gateway on a broker that asks for TLS, a client certificate and a password: it
// ingests as on a plain one, and when the broker cannot be trusted or refuses the
// password it stays unready and its log says why.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"
#include "support/test_pki.hpp"

namespace {

using edgegw::test::GatewayStack;

constexpr int kDevices = 5;
constexpr int kPerDevice = 40;
constexpr const char* kPasswordVariable = "EDGEGW_IT_MQTT_PASSWORD";

// The gateway's side: trusts `ca`, shows the client certificate, takes the password from
// the environment (as a deployment would).
edgegw::test::GatewayTestConfig tls_gateway(const edgegw::test::TestPki& pki,
                                            const std::filesystem::path& ca) {
  edgegw::test::GatewayTestConfig config;
  config.mqtt_extra = fmt::format(
      "  username: edgegw\n  password_env: {}\n"
      "  tls: {{ ca_file: {}, cert_file: {}, key_file: {} }}\n",
      kPasswordVariable, ca.string(), pki.client_cert.string(), pki.client_key.string());
  return config;
}

// Polls the gateway's log until it contains `text` or `timeout` passes.
bool log_shows(edgegw::test::GatewayProcess& gateway, const std::string& text,
               std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (gateway.log().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

}  // namespace

TEST_CASE("over TLS with a client certificate and a password, every message arrives",
          "[integration][tls]") {
  const edgegw::test::TempDir pki_dir;
  const edgegw::test::TestPki pki = edgegw::test::make_test_pki(pki_dir.path());
  const std::string password = "tls-s3cret-for-the-test";
  ::setenv(kPasswordVariable, password.c_str(), 1);
  edgegw::test::MosquittoOptions broker;
  broker.tls = edgegw::test::MosquittoTls{pki.ca_cert, pki.broker_cert, pki.broker_key,
                                          "edgegw",    password,        ""};

  SECTION("a broker signed by the trusted CA") {
    GatewayStack stack(broker, tls_gateway(pki, pki.ca_cert));
    edgegw::test::GatewayProcess& gateway = stack.start_gateway();
    {
      edgegw::test::MqttPublisher devices(stack.mosquitto.uri());  // the plain listener
      for (int seq = 1; seq <= kPerDevice; ++seq) {
        for (int d = 0; d < kDevices; ++d) {
          devices.publish(edgegw::test::device_topic(d), edgegw::test::device_payload(d, seq));
        }
      }
      devices.wait_all();
    }
    edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
    const auto check = edgegw::test::read_and_check(
        telemetry, edgegw::test::expected_per_device(kDevices, kPerDevice),
        std::chrono::seconds(60));
    INFO(check.summary());
    CHECK(check.missing == 0);
    CHECK(check.distinct == static_cast<std::size_t>(kDevices * kPerDevice));
    CHECK(gateway.log().find(password) == std::string::npos);
    CHECK(gateway.terminate() == 0);
  }
  SECTION("a broker certificate from a CA the gateway does not trust") {
    GatewayStack stack(broker, tls_gateway(pki, pki.other_ca_cert));
    edgegw::test::GatewayProcess& gateway = stack.launch_gateway();
    CHECK(log_shows(gateway, "certificate verify failed", std::chrono::seconds(20)));
    CHECK_FALSE(gateway.wait_ready(std::chrono::milliseconds(500)));
    CHECK(gateway.terminate() == 0);
  }
  SECTION("a broker certificate for another host, from the trusted CA") {
    broker.tls->cert_file = pki.wrong_host_cert;
    broker.tls->key_file = pki.wrong_host_key;
    GatewayStack stack(broker, tls_gateway(pki, pki.ca_cert));
    edgegw::test::GatewayProcess& gateway = stack.launch_gateway();
    CHECK(log_shows(gateway, "Cannot connect to the MQTT broker", std::chrono::seconds(20)));
    CHECK_FALSE(gateway.wait_ready(std::chrono::seconds(2)));
    CHECK(gateway.terminate() == 0);
  }
  SECTION("an encrypted client key, its passphrase from a file") {
    const edgegw::test::TempDir secrets;
    const auto passphrase = secrets.write("key-passphrase", pki.client_key_password + "\n");
    edgegw::test::GatewayTestConfig config;
    config.mqtt_extra = fmt::format(
        "  username: edgegw\n  password_env: {}\n"
        "  tls: {{ ca_file: {}, cert_file: {}, key_file: {}, key_password_file: {} }}\n",
        kPasswordVariable, pki.ca_cert.string(), pki.client_cert.string(),
        pki.client_key_encrypted.string(), passphrase.string());
    GatewayStack stack(broker, config);
    edgegw::test::GatewayProcess& gateway = stack.start_gateway();
    CHECK(gateway.log().find(pki.client_key_password) == std::string::npos);
    CHECK(gateway.terminate() == 0);
  }
  SECTION("the shipped example ACL lets the gateway read the plant's telemetry") {
    std::string acl = edgegw::test::read_file(EDGEGW_SOURCE_DIR "/config/mosquitto.acl.example");
    for (auto at = acl.find("factory/"); at != std::string::npos; at = acl.find("factory/")) {
      acl.replace(at, 8, "plant/");  // the test fleet's topics
    }
    broker.tls->acl = acl;
    GatewayStack stack(broker, tls_gateway(pki, pki.ca_cert));
    edgegw::test::GatewayProcess& gateway = stack.start_gateway();  // ready: subscribed
    CHECK(gateway.log().find("refused a subscription") == std::string::npos);
    CHECK(gateway.terminate() == 0);
  }
  SECTION("a password the broker refuses") {
    ::setenv(kPasswordVariable, "not-the-password", 1);
    GatewayStack stack(broker, tls_gateway(pki, pki.ca_cert));
    edgegw::test::GatewayProcess& gateway = stack.launch_gateway();
    CHECK(log_shows(gateway, "the broker refused the connection: not authorized",
                    std::chrono::seconds(20)));
    CHECK_FALSE(gateway.wait_ready(std::chrono::milliseconds(500)));
    INFO(gateway.log());
    CHECK(gateway.log().find("not-the-password") == std::string::npos);
    CHECK(gateway.terminate() == 0);
  }
  ::unsetenv(kPasswordVariable);
}
