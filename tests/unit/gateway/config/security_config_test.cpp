// Secrets, code-loading properties and the security findings of a valid config.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "config/config_node.hpp"
#include "config/gateway_config_loader.hpp"
#include "support/temp_dir.hpp"

using edgegw::config::ConfigNode;
using edgegw::test::TempDir;

namespace {

// `mqtt` and `kafka` are the extra lines of those sections (two-space indented).
std::string config_with(const std::string& mqtt, const std::string& kafka,
                        const std::string& broker = "tcp://127.0.0.1:1883") {
  return "gateway:\n  id: gw-1\nmqtt:\n  broker: " + broker + "\n" + mqtt +
         "mappings:\n  - name: m\n    topic: \"p/{device}\"\n    format: number\n"
         "    sensors: [{ name: v }]\n"
         "kafka:\n  bootstrap_servers: 127.0.0.1:9092\n" +
         kafka + "buffer:\n  directory: unused\n";
}

edgegw::GatewayConfig parse(const std::string& yaml) {
  return edgegw::config::parse_gateway_config(ConfigNode::load_string(yaml, "gw.yaml"));
}

std::string secret_file(const TempDir& dir, const std::string& name, mode_t mode) {
  const auto path = dir.write(name, "s3cret\n");
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path.string();
}

}  // namespace

TEST_CASE("a Kafka secret comes from a file or the environment", "[unit][config]") {
  const TempDir dir;
  const std::string file = secret_file(dir, "kafka-password", 0600);
  const auto c = parse(config_with("",
                                   "  properties:\n    security.protocol: SASL_SSL\n"
                                   "    sasl.mechanisms: PLAIN\n    sasl.username: gw\n"
                                   "    sasl.password_file: " +
                                       file + "\n"));
  CHECK(c.kafka.properties.at("sasl.password") == "s3cret");
  CHECK_FALSE(c.kafka.properties.contains("sasl.password_file"));
  CHECK(c.security_warnings.empty());

  ::setenv("EDGEGW_TEST_KAFKA_SECRET", "from-env", 1);
  CHECK(parse(config_with("", "  properties:\n    sasl.password_env: EDGEGW_TEST_KAFKA_SECRET\n"))
            .kafka.properties.at("sasl.password") == "from-env");
  CHECK_THROWS_WITH(
      parse(config_with("",
                        "  properties:\n    sasl.password: a\n"
                        "    sasl.password_env: EDGEGW_TEST_KAFKA_SECRET\n")),
      Catch::Contains("kafka.properties: give only one of sasl.password, sasl.password_env and "
                      "sasl.password_file"));
}

TEST_CASE("a Kafka property without a value is left out like an absent key", "[unit][config]") {
  // Found by fuzzing (fuzz/config_fuzz.cpp): an empty value terminated the process.
  ::unsetenv("EDGEGW_TEST_UNSET_SECRET");
  const auto c = parse(config_with("",
                                   "  properties:\n    linger.ms:\n"
                                   "    sasl.password: ${EDGEGW_TEST_UNSET_SECRET:-}\n"
                                   "    compression.type: lz4\n"));
  CHECK_FALSE(c.kafka.properties.contains("linger.ms"));
  CHECK_FALSE(c.kafka.properties.contains("sasl.password"));
  CHECK(c.kafka.properties.at("compression.type") == "lz4");
}

TEST_CASE("properties that load code are refused unless allowed", "[unit][config]") {
  for (const char* name : {"plugin.library.paths", "sasl.kerberos.kinit.cmd", "ssl.engine.location",
                           "ssl.providers"}) {
    INFO(name);
    CHECK_THROWS_WITH(
        parse(config_with("", std::string("  properties:\n    ") + name + ": /tmp/x\n")),
        Catch::StartsWith("gw.yaml:") &&
            Catch::Contains(std::string("kafka.properties.") + name +
                            ": this property loads code or runs a command"));
  }
  const auto c = parse(config_with("",
                                   "  allow_unsafe_properties: [sasl.kerberos.kinit.cmd]\n"
                                   "  properties:\n    sasl.kerberos.kinit.cmd: kinit -R\n"));
  CHECK(c.kafka.properties.at("sasl.kerberos.kinit.cmd") == "kinit -R");
}

TEST_CASE("clear-text credentials, verification off and open secrets are warned about",
          "[unit][config]") {
  const TempDir dir;
  SECTION("an MQTT password over tcp://") {
    const auto c = parse(config_with("  username: gw\n  password: pw\n", ""));
    REQUIRE(c.security_warnings.size() == 1);
    CHECK(c.security_warnings[0] ==
          "gw.yaml:4: mqtt.broker: the MQTT password goes over clear text; use an ssl:// "
          "broker with `tls`");
  }
  SECTION("a password file others can read") {
    const std::string open = secret_file(dir, "open", 0644);
    const auto c = parse(
        config_with("  username: gw\n  password_file: " + open + "\n", "", "ssl://127.0.0.1:8883"));
    REQUIRE(c.security_warnings.size() == 1);
    CHECK_THAT(c.security_warnings[0],
               Catch::Contains("mqtt.password_file: '" + open +
                               "' is readable by other users (mode 0644); chmod 600 it"));
    const std::string closed = secret_file(dir, "closed", 0600);
    CHECK(parse(config_with("  username: gw\n  password_file: " + closed + "\n", "",
                            "ssl://127.0.0.1:8883"))
              .security_warnings.empty());
  }
  SECTION("TLS without verification") {
    const auto c =
        parse(config_with("  tls: { verify_server: false }\n", "", "ssl://127.0.0.1:8883"));
    REQUIRE(c.security_warnings.size() == 1);
    CHECK_THAT(c.security_warnings[0], Catch::Contains("mqtt.tls.verify_server: the broker's "
                                                       "certificate is not verified"));
  }
  SECTION("Kafka over SASL_PLAINTEXT, and without certificate checks") {
    const auto c = parse(config_with("",
                                     "  properties:\n    security.protocol: SASL_PLAINTEXT\n"
                                     "    enable.ssl.certificate.verification: \"false\"\n"
                                     "    ssl.endpoint.identification.algorithm: none\n"));
    REQUIRE(c.security_warnings.size() == 3);
    CHECK_THAT(c.security_warnings[0],
               Catch::Contains("kafka.properties.security.protocol: SASL credentials go over "
                               "clear text; use SASL_SSL"));
  }
  SECTION("a safe config has none") {
    CHECK(parse(config_with("", "")).security_warnings.empty());
  }
}

TEST_CASE("an encrypted TLS key takes its passphrase from a file", "[unit][config]") {
  const TempDir dir;
  const std::string cert = dir.write("c.pem", "x").string();
  const std::string key = secret_file(dir, "k.pem", 0600);
  const std::string pass = secret_file(dir, "pass", 0600);
  const auto c = parse(config_with("  tls:\n    cert_file: " + cert + "\n    key_file: " + key +
                                       "\n    key_password_file: " + pass + "\n",
                                   "", "ssl://127.0.0.1:8883"));
  CHECK(c.mqtt.tls.key_password == "s3cret");
  CHECK(c.mqtt.tls.min_version == "1.2");
  CHECK_THROWS_WITH(parse(config_with("  tls:\n    key_password_file: " + pass + "\n", "",
                                      "ssl://127.0.0.1:8883")),
                    Catch::Contains("mqtt.tls.key_password_file: a key password needs a key_file"));
  CHECK_THROWS_WITH(
      parse(config_with("  tls:\n    ca_dir: " + key + "\n", "", "ssl://127.0.0.1:8883")),
      Catch::Contains("mqtt.tls.ca_dir: '" + key + "' is not a directory"));
  CHECK_THROWS_WITH(
      parse(config_with("  tls:\n    min_version: \"1.0\"\n", "", "ssl://127.0.0.1:8883")),
      Catch::Contains("mqtt.tls.min_version"));
}

TEST_CASE("the operations endpoint's token comes from a file or the environment",
          "[unit][config]") {
  const TempDir dir;
  const std::string base = config_with("", "");
  CHECK(parse(base).http.token.empty());
  const std::string file = secret_file(dir, "http-token", 0600);
  CHECK(parse(base + "http:\n  token_file: " + file + "\n").http.token == "s3cret");
  ::setenv("EDGEGW_TEST_HTTP_TOKEN", "from-env", 1);
  CHECK(parse(base + "http:\n  token_env: EDGEGW_TEST_HTTP_TOKEN\n").http.token == "from-env");
  CHECK_THROWS_WITH(parse(base + "http:\n  token: \"two words\"\n"),
                    Catch::Contains("http.token: the token must be non-empty, without spaces"));
  ::setenv("EDGEGW_TEST_HTTP_TOKEN_EMPTY", "", 1);
  CHECK_THROWS_WITH(parse(base + "http:\n  token_env: EDGEGW_TEST_HTTP_TOKEN_EMPTY\n"),
                    Catch::Contains("http.token_env: the token must be non-empty"));
  CHECK_THROWS_WITH(parse(base + "http:\n  token: a\n  token_file: " + file + "\n"),
                    Catch::Contains("give only one of token, token_env and token_file"));
}

TEST_CASE(
    "an endpoint open beyond loopback without a token, or an open token file, is warned "
    "about",
    "[unit][config]") {
  const TempDir dir;
  const std::string base = config_with("", "");
  const auto open = parse(base + "http:\n  listen: 0.0.0.0:8787\n");
  REQUIRE(open.security_warnings.size() == 1);
  CHECK_THAT(open.security_warnings[0],
             Catch::Contains("http.listen: the operations endpoint is reachable beyond this "
                             "host without a token"));
  const std::string closed = secret_file(dir, "closed", 0600);
  CHECK(parse(base + "http:\n  listen: \"[::]:8787\"\n  token_file: " + closed + "\n")
            .security_warnings.empty());
  for (const char* loopback : {"127.0.0.1:8787", "\"[::1]:8787\"", "localhost:8787"}) {
    INFO(loopback);
    CHECK(parse(base + "http:\n  listen: " + loopback + "\n").security_warnings.empty());
  }
  const std::string readable = secret_file(dir, "readable", 0640);
  const auto c = parse(base + "http:\n  listen: 0.0.0.0:8787\n  token_file: " + readable + "\n");
  REQUIRE(c.security_warnings.size() == 1);
  CHECK_THAT(c.security_warnings[0],
             Catch::Contains("http.token_file: '" + readable + "' is readable by other users"));
}

TEST_CASE("the operations endpoint's limits are read and bounded", "[unit][config]") {
  const std::string base = config_with("", "");
  const auto c = parse(base +
                       "http:\n  request_timeout: 2s\n  keep_alive_timeout: 10s\n"
                       "  max_connections: 8\n");
  CHECK(c.http.request_timeout == std::chrono::seconds(2));
  CHECK(c.http.keep_alive_timeout == std::chrono::seconds(10));
  CHECK(c.http.max_connections == 8);
  const auto defaults = parse(base);
  CHECK(defaults.http.request_timeout == std::chrono::seconds(5));
  CHECK(defaults.http.max_connections == 32);
  CHECK_THROWS_WITH(parse(base + "http:\n  max_connections: 0\n"),
                    Catch::Contains("http.max_connections"));
  CHECK_THROWS_WITH(parse(base + "http:\n  request_timeout: 0s\n"),
                    Catch::Contains("http.request_timeout"));
}
