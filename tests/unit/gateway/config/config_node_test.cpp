#include <catch2/catch.hpp>

#include <cstdlib>

#include "config/config_node.hpp"
#include "support/temp_dir.hpp"

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
  CHECK(message == "test.yaml:3: mqtt.qso: unknown key (did you mean 'qos'?)");
}

TEST_CASE("a list or map used as a key is a config error naming its line", "[unit][config]") {
  // Found by fuzzing (fuzz/config_fuzz.cpp): yaml-cpp's own conversion error escaped the loader.
  CHECK(error_of([] { (void)load("mqtt:\n  broker: x\n  [a, b]: 1\n"); }) ==
        "test.yaml:3: mqtt: a list or map is not a valid key: keys are names");
  CHECK(error_of([] { (void)load("? {a: 1}\n: 2\n"); }) ==
        "test.yaml:1: a list or map is not a valid key: keys are names");
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

TEST_CASE("a duration or size beyond any use is refused and never wraps", "[unit][config]") {
  const ConfigNode root = load("d: 99999999999999999999s\nb: 99999999999999999999GiB\n");
  CHECK_THROWS_WITH(root.child("d").as_duration(),
                    Catch::Contains("test.yaml:1: d: '99999999999999999999s' is longer than"));
  CHECK_THROWS_WITH(root.child("b").as_bytes(),
                    Catch::Contains("test.yaml:2: b: '99999999999999999999GiB' is larger than"));
  CHECK(load("d: 1000000000000000").child("d").as_duration().count() == 1'000'000'000'000'000);
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

namespace {

// Through load_file, as the daemon and check-config read a config. Each call writes into
// a directory of its own: ctest runs these cases as parallel processes.
ConfigNode load_file_with(const std::string& yaml) {
  const edgegw::test::TempDir dir;
  return ConfigNode::load_file(dir.write("edgegw_test_env.yaml", yaml).string());
}

}  // namespace

TEST_CASE("environment variables are expanded in values, with defaults and $$", "[unit][config]") {
  ::setenv("EDGEGW_TEST_BROKER", "tcp://10.0.0.5:1883", 1);
  ::unsetenv("EDGEGW_TEST_UNSET");
  const ConfigNode root = load_file_with(
      "# ${EDGEGW_TEST_UNSET} in a comment is no reference\n"
      "broker: ${EDGEGW_TEST_BROKER}\n"
      "k: ${EDGEGW_TEST_UNSET:-localhost:9092}\n"
      "price: \"$$5 and $x\"\n"
      "list: [\"${EDGEGW_TEST_BROKER}\", plain]\n"
      "optional: ${EDGEGW_TEST_UNSET:-}\n"
      "quoted_empty: \"${EDGEGW_TEST_UNSET:-}\"\n");
  CHECK(root.get<std::string>("broker", "") == "tcp://10.0.0.5:1883");
  CHECK(root.get<std::string>("k", "") == "localhost:9092");
  CHECK(root.get<std::string>("price", "") == "$5 and $x");
  CHECK(root.get<std::vector<std::string>>("list", {}) ==
        std::vector<std::string>{"tcp://10.0.0.5:1883", "plain"});
  CHECK_FALSE(root.has("optional"));  // unquoted and empty: absent, as in YAML
  CHECK(root.child("quoted_empty").defined());
  CHECK(root.get<std::string>("quoted_empty", "x").empty());
}

TEST_CASE("a variable's value is data, never YAML syntax", "[unit][config]") {
  // Substituted into the text, '#' started a comment and cut the secret short, and
  // brackets made a list (or a syntax error) of an address.
  ::setenv("EDGEGW_TEST_SECRET", "pa ss #word", 1);
  ::setenv("EDGEGW_TEST_HASH", "#leading", 1);
  ::setenv("EDGEGW_TEST_LISTEN", "[::1]:8787", 1);
  ::setenv("EDGEGW_TEST_QUOTE", "it's \"quoted\"\nand two lines", 1);
  const ConfigNode root = load_file_with(
      "password: ${EDGEGW_TEST_SECRET}\n"
      "token: ${EDGEGW_TEST_HASH}\n"
      "listen: ${EDGEGW_TEST_LISTEN}\n"
      "text: ${EDGEGW_TEST_QUOTE}\n");
  CHECK(root.get<std::string>("password", "") == "pa ss #word");
  CHECK(root.get<std::string>("token", "") == "#leading");
  CHECK(root.get<std::string>("listen", "") == "[::1]:8787");
  CHECK(root.get<std::string>("text", "") == "it's \"quoted\"\nand two lines");
}

TEST_CASE("an unset variable is named with file, line and key", "[unit][config]") {
  ::unsetenv("EDGEGW_TEST_UNSET");
  CHECK_THROWS_WITH(load("a: 1\nb:\n  c: [x, \"${EDGEGW_TEST_UNSET}\"]\n"),
                    "test.yaml:3: b.c[1]: environment variable 'EDGEGW_TEST_UNSET' is not set "
                    "(write ${EDGEGW_TEST_UNSET:-default} to give a default)");
  CHECK_THROWS_WITH(load("a: ${OOPS\n"), "test.yaml:1: a: '${' without a closing '}'");
}

TEST_CASE("a reference in a flow collection must be quoted, and the YAML error says so",
          "[unit][config]") {
  ::setenv("EDGEGW_TEST_TOPIC", "plant.telemetry", 1);
  CHECK(load("topics: { telemetry: \"${EDGEGW_TEST_TOPIC}\" }\n")
            .child("topics")
            .get<std::string>("telemetry", "") == "plant.telemetry");
  CHECK_THROWS_WITH(load("a: 1\ntopics: { telemetry: ${EDGEGW_TEST_TOPIC} }\n"),
                    Catch::StartsWith("test.yaml:2: invalid YAML: ") &&
                        Catch::EndsWith("write a ${...} reference in quotes)"));
}
