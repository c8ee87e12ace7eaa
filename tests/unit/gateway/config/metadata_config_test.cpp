#include <catch2/catch.hpp>

#include <string>

#include "config/gateway_config_loader.hpp"
#include "support/temp_dir.hpp"

using Catch::Matchers::Contains;
using edgegw::config::ConfigError;

namespace {

// Line 15 is the rule with the meta threshold; the metadata section is last.
std::string gateway_yaml(const std::string& metadata_section) {
  return R"(gateway: { id: gw-1 }
mqtt: { broker: "tcp://127.0.0.1:1883" }
mappings:
  - name: pumps
    topic: "factory/{device}/telemetry"
    format: number
    sensors: [ { name: bearing_temp } ]
    analytics_profile: pump
kafka: { bootstrap_servers: "127.0.0.1:9092" }
buffer: { directory: /var/lib/edgegw/buffer }
analytics:
  profiles:
    pump:
      rules:
        - { name: bearing_hot, when: "bearing_temp > meta.max_bearing_temp" }
    old_pump: {}
)" + metadata_section;
}

const std::string kDevices =
    "device,site,max_bearing_temp,profile\n"
    "p1,north,80,pump\n"
    "p2,south,95,old_pump\n";

struct Files {
  edgegw::test::TempDir dir;
  std::string config;
};

void write(Files& f, const std::string& devices, const std::string& section) {
  (void)f.dir.write("devices.csv", devices);
  f.config = f.dir.write("gw.yaml", gateway_yaml(section)).string();
}

std::string load_error(const std::string& devices, const std::string& section) {
  Files f;
  write(f, devices, section);
  try {
    edgegw::config::load_gateway_config(f.config);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

const std::string kSection = "metadata: { file: devices.csv }\n";

}  // namespace

TEST_CASE("the metadata file is loaded with the config, relative to it", "[unit][metadata]") {
  Files f;
  write(f, kDevices, kSection);
  const edgegw::GatewayConfig config = edgegw::config::load_gateway_config(f.config);
  REQUIRE(config.device_metadata != nullptr);
  CHECK(config.device_metadata->size() == 2);
  const edgegw::DeviceMetadata* p2 = config.device_metadata->find("p2");
  REQUIRE(p2 != nullptr);
  CHECK(p2->profile == "old_pump");
  const auto& rule = config.analytics.profiles.at("pump").rules.at(0);
  CHECK(rule.sensor == "bearing_temp");
  CHECK(rule.threshold_meta == "max_bearing_temp");
  CHECK(rule.op == edgegw::analytics::RuleOp::above);
}

TEST_CASE("a config without a metadata section has no metadata", "[unit][metadata]") {
  Files f;
  f.config = f.dir
                 .write("gw.yaml", R"(gateway: { id: gw-1 }
mqtt: { broker: "tcp://127.0.0.1:1883" }
mappings: [ { name: m, topic: "f/{device}", format: number, sensors: [ { name: v } ] } ]
kafka: { bootstrap_servers: "127.0.0.1:9092" }
buffer: { directory: /var/lib/edgegw/buffer }
)")
                 .string();
  CHECK(edgegw::config::load_gateway_config(f.config).device_metadata == nullptr);
}

TEST_CASE("metadata that the config cannot use is refused at the line to fix", "[unit][metadata]") {
  SECTION("a limit a rule uses that is not a number: at the metadata file's line") {
    CHECK_THAT(load_error("device,max_bearing_temp\np1,80\np2,hot\n", kSection),
               Contains("devices.csv:3: p2: max_bearing_temp 'hot' is not a number, and rule "
                        "'bearing_hot' (") &&
                   Contains("gw.yaml:15) compares with it"));
  }
  SECTION("a column a rule uses that the file lacks: at the rule's line") {
    CHECK_THAT(
        load_error("device,site\np1,north\n", kSection),
        Contains("gw.yaml:15: analytics.profiles.pump.rules[0].when: meta.max_bearing_temp: ") &&
            Contains("has no column 'max_bearing_temp'"));
  }
  SECTION("a rule with a meta threshold and no metadata file") {
    CHECK_THAT(load_error(kDevices, ""),
               Contains("gw.yaml:15: analytics.profiles.pump.rules[0].when: meta.max_bearing_temp: "
                        "needs a metadata file (metadata.file)"));
  }
  SECTION("a profile the analytics do not have: at the metadata file's line") {
    CHECK_THAT(
        load_error("device,max_bearing_temp,profile\np1,80,pump\np2,80,turbine\n", kSection),
        Contains("devices.csv:3: p2: profile 'turbine' is not one of analytics.profiles (nor a "
                 "maintenance device_class)"));
  }
  SECTION("a malformed file refuses the config") {
    CHECK_THAT(load_error("device,max_bearing_temp\np1,80\np1,81\n", kSection),
               Contains("devices.csv:3: device 'p1' is listed twice (first at line 2)"));
  }
  SECTION("a missing file") {
    CHECK_THAT(load_error(kDevices, "metadata: { file: nowhere.csv }\n"),
               Contains("nowhere.csv: cannot read the metadata file"));
  }
  SECTION("an unknown key of the section") {
    CHECK_THAT(load_error(kDevices, "metadata: { file: devices.csv, max_device: 3 }\n"),
               Contains("metadata.max_device: unknown key"));
  }
}

TEST_CASE("a rule's meta threshold is read from its when", "[unit][metadata]") {
  CHECK(load_error(kDevices, kSection) == "no error");
  Files f;
  (void)f.dir.write("devices.csv", kDevices);
  std::string yaml = gateway_yaml(kSection);
  const std::string rule = R"(when: "bearing_temp > meta.max_bearing_temp" })";
  yaml.replace(yaml.find(rule), rule.size(),
               R"(when: "bearing_temp > meta.max_bearing_temp", clear: 70 })");
  f.config = f.dir.write("gw.yaml", yaml).string();
  CHECK_THROWS_WITH(edgegw::config::load_gateway_config(f.config),
                    Contains("clear: not with a meta threshold"));
  yaml = gateway_yaml(kSection);
  yaml.replace(yaml.find(rule), rule.size(), R"(when: "bearing_temp > meta." })");
  f.config = f.dir.write("gw.yaml", yaml).string();
  CHECK_THROWS_WITH(edgegw::config::load_gateway_config(f.config),
                    Contains("expected '<sensor> > meta.<column>'"));
}
