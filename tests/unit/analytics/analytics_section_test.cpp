#include <catch2/catch.hpp>

#include <string>

#include "config/analytics_section.hpp"
#include "edgegw/config_error.hpp"

using edgegw::config::ConfigError;
using edgegw::config::ConfigNode;
using edgegw::config::parse_analytics_section;
namespace analytics = edgegw::analytics;

namespace {

analytics::AnalyticsConfig parse(const std::string& yaml) {
  return parse_analytics_section(ConfigNode::load_string(yaml, "gw.yaml").child("analytics"));
}

std::string error_of(const std::string& yaml) {
  try {
    (void)parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the analytics section parses profiles, detectors and rules", "[unit]") {
  const analytics::AnalyticsConfig c = parse(R"(
analytics:
  window: 30s
  allowed_lateness: 5s
  max_devices: 50
  profiles:
    default:
      ewma: {half_life: 20, false_alarm_rate: 1e-3}
      mad: {enabled: true}
      multivariate: {shrinkage: 0.1}
      baseline: {samples: 500, duration: 7d}
      anomaly: {memory: 400, seasonality: false, threshold: 0.6, severity: critical}
    pump:
      mad: {enabled: false}
      anomaly: {sensors: [flow, pressure]}
      rules:
        - {name: hot, when: "temp >= 90.5", for: 30s, clear: 85, severity: critical}
        - {name: low, sensor: p, below: 1, clear: 1.2}
)");
  CHECK(c.enabled);
  CHECK(c.window_ms == 30'000);
  CHECK(c.allowed_lateness_ms == 5'000);
  CHECK(c.max_devices == 50);
  REQUIRE(c.profiles.size() == 2);
  const analytics::ProfileConfig& pump = c.profiles.at("pump");
  CHECK(pump.ewma.half_life == 20);  // inherited from default
  CHECK(pump.ewma.false_alarm_rate == 1e-3);
  CHECK(*pump.multivariate.shrinkage == 0.1);
  CHECK_FALSE(pump.mad.enabled);
  CHECK(c.profiles.at("default").mad.enabled);
  CHECK(pump.baseline.samples == 500);
  CHECK(pump.baseline.duration_ms == 7 * 86'400'000LL);
  CHECK(pump.anomaly.memory == 400);  // inherited, with its own sensor list
  CHECK_FALSE(pump.anomaly.seasonality);
  CHECK(pump.anomaly.threshold == 0.6);
  CHECK(pump.anomaly.severity == analytics::Severity::critical);
  CHECK(pump.anomaly.sensors == std::vector<std::string>{"flow", "pressure"});
  REQUIRE(pump.rules.size() == 2);
  CHECK(pump.rules[0].sensor == "temp");
  CHECK(pump.rules[0].op == analytics::RuleOp::above);
  CHECK(pump.rules[0].threshold == 90.5);
  CHECK(pump.rules[0].for_ms == 30'000);
  CHECK(*pump.rules[0].clear == 85.0);
  CHECK(pump.rules[0].severity == analytics::Severity::critical);
  CHECK(pump.rules[1].op == analytics::RuleOp::below);
}

TEST_CASE("an absent section gives disabled defaults", "[unit]") {
  const analytics::AnalyticsConfig c =
      parse_analytics_section(ConfigNode::load_string("mqtt: {}", "gw.yaml").child("analytics"));
  CHECK_FALSE(c.enabled);
  CHECK(c.profiles.count("default") == 1);
}

TEST_CASE("by default the anomaly detector alerts and the per-sample detectors are off", "[unit]") {
  const analytics::AnalyticsConfig c = parse("analytics: {}\n");
  const analytics::ProfileConfig& p = c.profiles.at("default");
  CHECK(p.anomaly.enabled);
  CHECK(p.stuck.enabled);
  CHECK(p.silence.enabled);
  CHECK_FALSE(p.ewma.enabled);
  CHECK_FALSE(p.mad.enabled);
  CHECK_FALSE(p.rate.enabled);
  CHECK_FALSE(p.multivariate.mahalanobis);
  CHECK_FALSE(p.multivariate.pca);
  CHECK(p.baseline.samples == 0);
  CHECK(c.idle_eviction_ms == 7 * 86'400'000LL);  // a machine stopped over a long weekend
}

TEST_CASE("analytics config errors name file, line and key", "[unit]") {
  CHECK(error_of("analytics:\n  windw: 10s\n").find("gw.yaml:2") != std::string::npos);
  const std::string far = error_of(R"(analytics:
  profiles:
    default:
      ewma:
        false_alarm_rate: 2
)");
  CHECK(far.find("gw.yaml:5") != std::string::npos);
  CHECK(far.find("false_alarm_rate") != std::string::npos);
  const std::string rule = error_of(R"(analytics:
  profiles:
    default:
      rules:
        - name: hot
          when: "temp > 90"
          clear: 95
)");
  CHECK(rule.find("gw.yaml:7") != std::string::npos);
  CHECK(rule.find("hysteresis") != std::string::npos);
  CHECK(error_of("analytics:\n  profiles:\n    default:\n      rules:\n        - {name: x, when: "
                 "\"temp ~ 3\"}\n")
            .find("gw.yaml:5") != std::string::npos);
  const std::string anomaly = error_of(R"(analytics:
  profiles:
    default:
      anomaly:
        threshold: 1.5
)");
  CHECK(anomaly.find("gw.yaml:5") != std::string::npos);
  CHECK(anomaly.find("anomaly.threshold: must be between") != std::string::npos);
  CHECK(error_of("analytics:\n  profiles:\n    default:\n      baseline: {sampels: 3}\n")
            .find("gw.yaml:4") != std::string::npos);
}

TEST_CASE("analytics.checkpoint_interval takes a duration, or none/0 to disable", "[unit]") {
  CHECK(parse("analytics:\n  enabled: true\n").checkpoint_interval_ms == 60'000);
  CHECK(parse("analytics:\n  checkpoint_interval: 5m\n").checkpoint_interval_ms == 300'000);
  CHECK(parse("analytics:\n  checkpoint_interval: none\n").checkpoint_interval_ms == 0);
  CHECK(parse("analytics:\n  checkpoint_interval: 0\n").checkpoint_interval_ms == 0);
  CHECK(error_of("analytics:\n  checkpoint_interval: soon\n").find("checkpoint_interval") !=
        std::string::npos);
}
