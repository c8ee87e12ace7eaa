// The dashboard's state: an alert's lifecycle by id, redeliveries, every bound with its
// counter, the filters, and what it refuses.

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "dashboard/fleet_state.hpp"

using edgegw::DashboardLimits;
using edgegw::dashboard::FleetState;
using edgegw::dashboard::RecordKind;
using edgegw::dashboard::StateFilter;
using nlohmann::json;

namespace {

std::string alert(const std::string& device, const std::string& state, long long raised,
                  long long ts, const std::string& severity = "critical",
                  const std::string& gateway = "gw-a", const std::string& source = "rule:hot") {
  return json{{"schema", "edgegw.alert/v1"},
              {"gateway", gateway},
              {"id", fmt::format("{}/{}/{}", device, source, raised)},
              {"device", device},
              {"source", source},
              {"profile", "pump"},
              {"state", state},
              {"severity", severity},
              {"raised", raised},
              {"ts", ts},
              {"time", "t"},
              {"score", 1.2},
              {"statistic", 95.0},
              {"threshold", 90.0},
              {"p_value", 1.0},
              {"window_ms", 30000},
              {"sensors", json::array({{{"sensor", "bearing_temp"},
                                        {"value", 95.0},
                                        {"expected", 90.0},
                                        {"scale", nullptr}}})},
              {"parameters", json::object()},
              {"message", "hot"}}
      .dump();
}

std::string aggregate(const std::string& device, const std::string& sensor, long long end,
                      double mean, const std::string& gateway = "gw-a") {
  return json{{"schema", "edgegw.aggregate/v1"},
              {"gateway", gateway},
              {"device", device},
              {"sensor", sensor},
              {"window_start", end - 60000},
              {"window_end", end},
              {"time", "t"},
              {"count", 10},
              {"min", mean - 1},
              {"max", mean + 1},
              {"mean", mean},
              {"stddev", 0.5},
              {"last", mean}}
      .dump();
}

std::string prediction(const std::string& device, long long ts, double rul) {
  return json{{"schema", "edgegw.prediction/v1"},
              {"gateway", "gw-a"},
              {"device", device},
              {"ts", ts},
              {"time", "t"},
              {"rul", rul},
              {"rul_lower", rul - 10},
              {"rul_upper", rul + 10},
              {"unit", "hours"},
              {"model", {{"name", "pump-rul"}, {"version", "1"}}},
              {"samples_seen", 100}}
      .dump();
}

// A filter on one field.
StateFilter only(std::string StateFilter::*field, const std::string& value) {
  StateFilter filter;
  filter.*field = value;
  return filter;
}

FleetState make_state(DashboardLimits limits = {}) {
  return FleetState(limits, {{"gw-a", "north"}});
}

}  // namespace

TEST_CASE("an alert is open from raised through updated, then history once cleared",
          "[unit][dashboard]") {
  FleetState state = make_state();
  const auto raised = state.apply(RecordKind::alert, alert("pump-1", "raised", 1000, 1000));
  REQUIRE(raised);
  CHECK(raised->type == "alert");
  CHECK(raised->data["seq"] == 1);
  CHECK(raised->data["alert"]["state"] == "raised");
  CHECK(raised->data["alert"]["origin"] == "rule");  // from the source: no origin field
  CHECK(raised->data["alert"]["site"] == "north");
  CHECK(raised->data["alert"]["evidence"]["sensors"][0]["sensor"] == "bearing_temp");

  REQUIRE(state.apply(RecordKind::alert, alert("pump-1", "updated", 1000, 2000)));
  json snap = state.snapshot();
  REQUIRE(snap["open_alerts"].size() == 1);
  CHECK(snap["open_alerts"][0]["state"] == "updated");
  CHECK(snap["open_alerts"][0]["updates"] == 1);
  CHECK(snap["devices"][0]["health"] == "critical");
  CHECK(snap["devices"][0]["device_class"] == "pump");

  const auto cleared = state.apply(RecordKind::alert, alert("pump-1", "cleared", 1000, 5000));
  REQUIRE(cleared);
  CHECK(cleared->data["seq"] == 3);
  snap = state.snapshot();
  CHECK(snap["seq"] == 3);
  CHECK(snap["open_alerts"].empty());
  REQUIRE(snap["history"].size() == 1);
  CHECK(snap["history"][0]["cleared"] == 5000);
  CHECK(snap["history"][0]["raised"] == 1000);
  CHECK(snap["devices"][0]["health"] == "ok");
  CHECK(snap["devices"][0]["episodes"].size() == 1);
}

TEST_CASE("redelivered alert transitions change nothing", "[unit][dashboard]") {
  FleetState state = make_state();
  REQUIRE(state.apply(RecordKind::alert, alert("pump-1", "raised", 1000, 1000)));
  CHECK_FALSE(state.apply(RecordKind::alert, alert("pump-1", "raised", 1000, 1000)));
  REQUIRE(state.apply(RecordKind::alert, alert("pump-1", "cleared", 1000, 3000)));
  // A consumer restart replays the episode: it stays cleared.
  CHECK_FALSE(state.apply(RecordKind::alert, alert("pump-1", "raised", 1000, 1000)));
  CHECK_FALSE(state.apply(RecordKind::alert, alert("pump-1", "updated", 1000, 2000)));
  CHECK(state.open_alert_count() == 0);
  CHECK(state.counters().duplicates == 3);
  CHECK(state.snapshot()["history"].size() == 1);
}

TEST_CASE("a clear whose raise was never seen goes to the history", "[unit][dashboard]") {
  FleetState state = make_state();
  REQUIRE(state.apply(RecordKind::alert, alert("pump-1", "cleared", 1000, 4000)));
  CHECK(state.open_alert_count() == 0);
  CHECK(state.snapshot()["history"][0]["raised"] == 1000);
}

TEST_CASE("the open alerts are bounded: the longest open goes, counted", "[unit][dashboard]") {
  DashboardLimits limits;
  limits.max_open_alerts = 2;
  FleetState state = make_state(limits);
  REQUIRE(state.apply(RecordKind::alert, alert("pump-1", "raised", 1000, 1000)));
  REQUIRE(state.apply(RecordKind::alert, alert("pump-2", "raised", 2000, 2000)));
  const auto third = state.apply(RecordKind::alert, alert("pump-3", "raised", 3000, 3000));
  REQUIRE(third);
  CHECK(third->data["evicted_alerts"] == json::array({"gw-a/pump-1/rule:hot/1000"}));
  CHECK(state.open_alert_count() == 2);
  CHECK(state.counters().evicted_open_alerts == 1);
}

TEST_CASE("the history is bounded: the oldest episode goes, counted", "[unit][dashboard]") {
  DashboardLimits limits;
  limits.max_history = 2;
  FleetState state = make_state(limits);
  for (int i = 1; i <= 3; ++i) {
    REQUIRE(state.apply(RecordKind::alert, alert("pump-1", "cleared", i * 1000, i * 1000 + 500)));
  }
  const json history = state.snapshot()["history"];
  REQUIRE(history.size() == 2);
  CHECK(history[0]["raised"] == 3000);  // newest first
  CHECK(state.counters().evicted_history == 1);
}

TEST_CASE("chart points are bounded, ordered by time, a redelivered window replaced",
          "[unit][dashboard]") {
  DashboardLimits limits;
  limits.max_points = 3;
  limits.max_sensors = 1;
  FleetState state = make_state(limits);
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-1", "flow", 3000, 3)));
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-1", "flow", 1000, 1)));
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-1", "flow", 2000, 2)));
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-1", "flow", 2000, 2.5)));
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-1", "flow", 4000, 4)));
  // A second sensor is beyond max_sensors.
  CHECK_FALSE(state.apply(RecordKind::aggregate, aggregate("pump-1", "pressure", 4000, 6)));
  const json chart = state.snapshot()["devices"][0]["charts"]["flow"];
  REQUIRE(chart.size() == 3);
  CHECK(chart[0][0] == 2000);
  CHECK(chart[0][1] == 2.5);
  CHECK(chart[2][0] == 4000);
  CHECK(state.counters().evicted_points == 1);
  CHECK(state.counters().evicted_sensors == 1);
}

TEST_CASE("the devices are bounded: the least recently heard from goes, counted",
          "[unit][dashboard]") {
  DashboardLimits limits;
  limits.max_devices = 2;
  FleetState state = make_state(limits);
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-1", "flow", 1000, 1)));
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-2", "flow", 1000, 1)));
  REQUIRE(state.apply(RecordKind::aggregate, aggregate("pump-1", "flow", 2000, 1)));
  const auto third = state.apply(RecordKind::aggregate, aggregate("pump-3", "flow", 1000, 1));
  REQUIRE(third);
  CHECK(third->data["evicted_devices"] == json::array({"gw-a/pump-2"}));
  CHECK(state.snapshot()["devices"].size() == 2);
  CHECK(state.counters().evicted_devices == 1);
}

TEST_CASE("the newest prediction is kept with its band", "[unit][dashboard]") {
  FleetState state = make_state();
  REQUIRE(state.apply(RecordKind::prediction, prediction("pump-1", 2000, 300)));
  CHECK_FALSE(state.apply(RecordKind::prediction, prediction("pump-1", 1000, 500)));
  const json p = state.snapshot()["devices"][0]["prediction"];
  CHECK(p["rul"] == 300);
  CHECK(p["rul_lower"] == 290);
  CHECK(p["rul_upper"] == 310);
  CHECK(p["model"] == "pump-rul 1");
}

TEST_CASE("filters narrow the snapshot by gateway, site, class, device and severity",
          "[unit][dashboard]") {
  FleetState state(DashboardLimits{}, {{"gw-a", "north"}, {"gw-b", "south"}});
  REQUIRE(
      state.apply(RecordKind::alert, alert("pump-1", "raised", 1000, 1000, "critical", "gw-a")));
  REQUIRE(state.apply(RecordKind::alert, alert("pump-2", "raised", 1000, 1000, "warning", "gw-b")));
  REQUIRE(state.apply(RecordKind::alert, alert("pump-3", "raised", 1000, 1000, "info", "gw-c")));

  auto open_devices = [&state](const StateFilter& filter) {
    std::vector<std::string> devices;
    const json snapshot = state.snapshot(filter);
    for (const json& a : snapshot["open_alerts"]) {
      devices.push_back(a["device"]);
    }
    return devices;
  };
  using V = std::vector<std::string>;
  CHECK(open_devices({}) == V{"pump-1", "pump-2", "pump-3"});
  CHECK(open_devices(only(&StateFilter::gateway, "gw-b")) == V{"pump-2"});
  CHECK(open_devices(only(&StateFilter::site, "north")) == V{"pump-1"});
  CHECK(open_devices(only(&StateFilter::site, "gw-c")) == V{"pump-3"});  // not listed: its own site
  CHECK(open_devices(only(&StateFilter::device_class, "pump")).size() == 3);
  CHECK(open_devices(only(&StateFilter::device_class, "motor")).empty());
  CHECK(open_devices(only(&StateFilter::device, "pump-3")) == V{"pump-3"});
  CHECK(open_devices(only(&StateFilter::min_severity, "warning")) == V{"pump-1", "pump-2"});
  CHECK(state.snapshot(only(&StateFilter::min_severity, "critical"))["devices"].size() == 1);
}

TEST_CASE("malformed records are refused with a reason and counted", "[unit][dashboard]") {
  FleetState state = make_state();
  std::string error;
  CHECK_FALSE(state.apply(RecordKind::alert, "{not json", &error));
  CHECK(error == "not JSON");
  CHECK_FALSE(state.apply(RecordKind::alert, R"({"gateway":"g","device":"d"})", &error));
  CHECK(error == "an alert needs gateway, id, device and source");
  json odd = json::parse(alert("pump-1", "raised", 1, 1));
  odd["state"] = "exploded";
  CHECK_FALSE(state.apply(RecordKind::alert, odd.dump(), &error));
  CHECK_THAT(error, Catch::Contains("unknown state 'exploded'"));
  CHECK_FALSE(state.apply(RecordKind::aggregate, "[]", &error));
  CHECK(error == "not a JSON object");
  CHECK_FALSE(state.apply(RecordKind::prediction, R"({"gateway":"g","device":"d"})", &error));
  CHECK(state.counters().malformed == 5);
  CHECK(state.snapshot()["devices"].empty());
}
