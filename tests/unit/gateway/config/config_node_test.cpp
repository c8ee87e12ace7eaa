#include <catch2/catch.hpp>

#include "config/config_node.hpp"
#include "config/env_expansion.hpp"

using edgegw::config::ConfigError;
using edgegw::config::ConfigNode;

namespace {

ConfigNode load(const std::string& yaml) {
  return ConfigNode::load_string(yaml, "test.yaml");
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("config values are read with their types", "[unit][config]") {
  const ConfigNode root = load("a:\n  n: 5\n  x: 2.5\n  b: yes\n  s: hi\n  list: [p, q]\n");
  const ConfigNode a = root.child("a");
  CHECK(a.get<int>("n", 0) == 5);
  CHECK(a.get<double>("x", 0) == 2.5);
  CHECK(a.get<bool>("b", false));
  CHECK(a.get<std::string>("s", "") == "hi");
  CHECK(a.get<std::vector<std::string>>("list", {}) == std::vector<std::string>{"p", "q"});
  CHECK(a.get<int>("absent", 7) == 7);
}

TEST_CASE("config errors name file, line and dotted key", "[unit][config]") {
  const ConfigNode root = load("top:\n  inner:\n    qos: three\n");
  const std::string message =
      error_of([&] { (void)root.child("top").child("inner").get<int>("qos", 1); });
  CHECK(message == "test.yaml:3: top.inner.qos: expected an integer, got 'three'");
}

TEST_CASE("unknown keys are named as likely typos", "[unit][config]") {
  const ConfigNode root = load("mqtt:\n  broker: x\n  qso: 1\n");
  const std::string message = error_of([&] { root.child("mqtt").check_keys({"broker", "qos"}); });
  CHECK(message == "test.yaml:3: mqtt.qso: unknown key (a typo?)");
}

TEST_CASE("durations and sizes accept units", "[unit][config]") {
  const ConfigNode root =
      load("d1: 200ms\nd2: 5s\nd3: 2m\nd4: 1500\nb1: 16MiB\nb2: 1GiB\nb3: 4096\nbad: 5 parsecs\n");
  CHECK(root.child("d1").as_duration() == std::chrono::milliseconds(200));
  CHECK(root.child("d2").as_duration() == std::chrono::seconds(5));
  CHECK(root.child("d3").as_duration() == std::chrono::minutes(2));
  CHECK(root.child("d4").as_duration() == std::chrono::milliseconds(1500));
  CHECK(root.child("b1").as_bytes() == 16ULL << 20U);
  CHECK(root.child("b2").as_bytes() == 1ULL << 30U);
  CHECK(root.child("b3").as_bytes() == 4096);
  CHECK_THROWS_WITH(root.child("bad").as_duration(),
                    Catch::Contains("test.yaml:8: bad: expected a duration"));
  CHECK_THROWS_WITH(root.child("bad").as_bytes(), Catch::Contains("expected a size"));
}

TEST_CASE("YAML syntax errors name the line", "[unit][config]") {
  CHECK_THROWS_WITH(load("a: [1, 2\nb: 3\n"),
                    Catch::StartsWith("test.yaml:") && Catch::Contains("invalid YAML"));
}

TEST_CASE("choices list what is allowed", "[unit][config]") {
  const ConfigNode root = load("fsync: sometimes\n");
  CHECK_THROWS_WITH(root.child("fsync").as_choice({"always", "interval", "never"}),
                    "test.yaml:1: fsync: 'sometimes' is not one of: always, interval, never");
}

TEST_CASE("environment variables are expanded before parsing", "[unit][config]") {
  using edgegw::config::expand_environment;
  ::setenv("EDGEGW_TEST_BROKER", "tcp://10.0.0.5:1883", 1);
  ::unsetenv("EDGEGW_TEST_UNSET");
  CHECK(expand_environment("broker: ${EDGEGW_TEST_BROKER}\n", "f") ==
        "broker: tcp://10.0.0.5:1883\n");
  CHECK(expand_environment("k: ${EDGEGW_TEST_UNSET:-localhost:9092}", "f") == "k: localhost:9092");
  CHECK(expand_environment("price: $$5 and $x", "f") == "price: $5 and $x");
  CHECK_THROWS_WITH(expand_environment("a: 1\nb: ${EDGEGW_TEST_UNSET}\n", "f"),
                    Catch::StartsWith("f:2: environment variable 'EDGEGW_TEST_UNSET' is not set"));
  CHECK_THROWS_WITH(expand_environment("a: ${OOPS\n", "f"), Catch::Contains("without a closing"));
}
