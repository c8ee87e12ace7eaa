#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "fleet_generator.hpp"
#include "sensor_catalog.hpp"
#include "sim_test_support.hpp"

using namespace edgegw::sim;
using namespace edgegw::sim::test;

namespace {

// Everything at high rates, so that a short run exercises every fault.
FleetConfig busy_fleet(std::uint64_t seed) {
  FleetConfig f = default_fleet();
  f.seed = seed;
  f.sites = {"north", "south"};
  for (auto& k : f.anomalies.kinds) {
    k.rate_per_hour = 6.0;
    k.max_duration_s = std::min(k.max_duration_s, 120.0);
    k.min_duration_s = std::min(k.min_duration_s, k.max_duration_s);
  }
  f.bad_payloads.rate_per_hour = {20.0, 20.0, 20.0, 5.0};
  f.bad_payloads.oversized_bytes = 4096;
  for (auto& c : f.classes) {
    c.wear.min_life_hours = 0.5;
    c.wear.max_life_hours = 1.0;
    c.wear.repair_minutes = 2.0;
  }
  return f;
}

}  // namespace

TEST_CASE("the same seed gives the same messages and labels, another seed does not", "[unit]") {
  const auto a = generate(busy_fleet(42), 20000);
  const auto b = generate(busy_fleet(42), 20000);
  const auto c = generate(busy_fleet(43), 20000);
  REQUIRE(a.messages.size() == b.messages.size());
  for (std::size_t i = 0; i < a.messages.size(); ++i) {
    REQUIRE(a.messages[i].topic == b.messages[i].topic);
    REQUIRE(a.messages[i].payload == b.messages[i].payload);
  }
  REQUIRE(a.labels.size() == b.labels.size());
  for (std::size_t i = 0; i < a.labels.size(); ++i) {
    REQUIRE(to_json_line(a.labels[i]) == to_json_line(b.labels[i]));
  }
  std::size_t same = 0;
  for (std::size_t i = 0; i < std::min(a.messages.size(), c.messages.size()); ++i) {
    same += a.messages[i].payload == c.messages[i].payload ? 1 : 0;
  }
  CHECK(same < a.messages.size() / 10);
}

TEST_CASE("device ids are unique and sites assigned round-robin", "[unit]") {
  FleetConfig f = default_fleet();
  f.sites = {"a", "b", "c"};
  for (auto& c : f.classes) {
    c.count = 4;
  }
  FleetGenerator g(f);
  std::set<std::string> ids;
  for (const auto& d : g.devices()) {
    ids.insert(d.identity().id);
  }
  CHECK(ids.size() == 12);
  CHECK(ids.count("pump-001") == 1);
  CHECK(ids.count("compressor-004") == 1);
  CHECK(g.devices()[1].identity().site == "b");
}

TEST_CASE("sequence numbers are contiguous per device, bad payloads included", "[unit]") {
  const auto run = generate(busy_fleet(7), 60000);
  // A checker's view: seqs of decoded messages, plus those of labelled bad JSON/CSV
  // payloads (bare-number faults never touch the seq topic).
  std::set<std::pair<std::string, std::uint64_t>> spoilt;
  std::map<std::string, std::uint64_t> last_seq;
  for (const auto& l : run.labels) {
    if (l.type == LabelType::bad_payload && l.topic.ends_with("/telemetry")) {
      spoilt.emplace(l.device, l.seq);
    }
    if (l.type == LabelType::device_summary) {
      last_seq[l.device] = l.seq;
    }
  }
  std::map<std::string, std::vector<std::uint64_t>> seqs;
  for (const auto& t : decode_all(run.messages)) {
    if (spoilt.count({t.device, t.seq}) == 0) {
      seqs[t.device].push_back(t.seq);
    }
  }
  for (const auto& [device, seq] : spoilt) {
    seqs[device].push_back(seq);
  }
  const std::size_t bad = spoilt.size();
  CHECK(bad > 10);
  REQUIRE(seqs.size() == 6);
  for (auto& [device, s] : seqs) {
    INFO(device);
    std::sort(s.begin(), s.end());
    REQUIRE(s.front() == 1);
    for (std::size_t i = 1; i < s.size(); ++i) {
      REQUIRE(s[i] == s[i - 1] + 1);  // no gap, no duplicate
    }
    CHECK(s.back() == last_seq[device]);
  }
}

TEST_CASE("current follows load and temperature follows current", "[unit]") {
  for (DeviceClass cls : kMachineClasses) {
    FleetConfig f = small_fleet({cls}, 3);
    quiet(f);
    f.classes[0].wear.enabled = false;
    FleetGenerator g(f);
    const auto specs = sensors_of(cls);
    std::size_t current = 0;
    std::size_t temp = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      current = specs[i].name == "current" ? i : current;
      temp = specs[i].unit == "degC" && temp == 0 ? i : temp;
    }
    std::vector<double> load;
    std::vector<double> cur;
    std::vector<double> smoothed_cur;
    std::vector<double> tmp;
    std::vector<double> amb;
    double smooth = 0.0;
    TickOutput tick;
    for (int i = 0; i < 40000; ++i) {
      g.next(tick);
      const SimDevice& d = g.devices()[0];
      load.push_back(d.hidden().load);
      cur.push_back(d.values()[current]);
      smooth = i == 0 ? cur.back() : smooth + (cur.back() - smooth) / 900.0;
      smoothed_cur.push_back(smooth);
      tmp.push_back(d.values()[temp]);
      amb.push_back(d.hidden().ambient);
    }
    INFO(class_name(cls));
    CHECK(correlation(load, cur) > 0.8);
    // Temperature rise over ambient follows the current, with a lag.
    std::vector<double> rise;
    for (std::size_t i = 0; i < tmp.size(); ++i) {
      rise.push_back(tmp[i] - amb[i]);
    }
    CHECK(correlation(smoothed_cur, rise) > 0.6);
  }
}

TEST_CASE("wear drives vibration up, ends in a failure, and RUL counts down to it", "[unit]") {
  FleetConfig f = small_fleet({DeviceClass::pump}, 5);
  quiet(f);
  f.classes[0].wear.min_life_hours = 2.0;
  f.classes[0].wear.max_life_hours = 3.0;
  f.classes[0].wear.repair_minutes = 10.0;
  f.labels.rul_every_ticks = 1;
  const auto run = generate(f, 5 * 3600);
  std::vector<Label> failures;
  std::map<std::int64_t, Label> rul;  // by event time
  for (const auto& l : run.labels) {
    if (l.type == LabelType::failure) {
      failures.push_back(l);
    } else if (l.type == LabelType::rul) {
      rul[l.start_ms] = l;
    }
  }
  REQUIRE(failures.size() >= 1);
  const Label& fail = failures.front();
  CHECK(fail.end_ms == fail.start_ms + 600000);
  // Every RUL line before the failure points at it exactly.
  for (const auto& [ts, l] : rul) {
    if (ts < fail.start_ms && l.count == fail.count) {
      REQUIRE(ts + l.rul_ms == fail.start_ms);
    }
  }
  // The device reports a fault for the whole repair, and runs again afterwards.
  const auto ticks = decode_all(run.messages);
  double vib_early = 0;
  double vib_late = 0;
  int n_early = 0;
  int n_late = 0;
  for (const auto& t : ticks) {
    const bool repairing = t.ts_ms >= fail.start_ms && t.ts_ms < fail.end_ms;
    REQUIRE((t.state == 2) == repairing);
    const auto it = rul.find(t.ts_ms);
    if (it == rul.end() || it->second.count != fail.count || t.state != 1) {
      continue;
    }
    if (it->second.wear < 0.1) {
      vib_early += t.values.at("vibration");
      ++n_early;
    } else if (it->second.wear > 0.7) {
      vib_late += t.values.at("vibration");
      ++n_late;
    }
  }
  REQUIRE(n_late > 0);
  if (n_early > 0) {
    CHECK(vib_late / n_late > vib_early / n_early + 2.0);
  }
}

TEST_CASE("bad payloads appear only when enabled, and only where labelled", "[unit]") {
  FleetConfig on = busy_fleet(11);
  on.anomalies.enabled = false;
  FleetConfig off = on;
  off.bad_payloads.enabled = false;
  const auto with = generate(on, 30000);
  const auto without = generate(off, 30000);
  REQUIRE(with.messages.size() == without.messages.size());

  std::set<std::string> labelled;  // "topic#event_ms" of every spoilt message
  std::map<std::string, int> kinds;
  for (const auto& l : with.labels) {
    CHECK(l.type != LabelType::anomaly);
    if (l.type == LabelType::bad_payload) {
      labelled.insert(l.topic + "#" + std::to_string(l.start_ms));
      ++kinds[l.kind];
    }
  }
  CHECK(kinds.size() == 4);
  for (const auto& l : without.labels) {
    CHECK(l.type != LabelType::bad_payload);
  }
  std::size_t differing = 0;
  for (std::size_t i = 0; i < with.messages.size(); ++i) {
    const auto& a = with.messages[i];
    const auto& b = without.messages[i];
    REQUIRE(a.topic == b.topic);
    if (a.payload != b.payload) {
      ++differing;
      REQUIRE(labelled.count(a.topic + "#" + std::to_string(a.event_ms)) == 1);
    }
    REQUIRE(a.payload.find_first_of("\t\n") == std::string::npos);
  }
  CHECK(differing == labelled.size());
  // Clean runs decode completely.
  std::size_t decoded_values = 0;
  for (const auto& t : decode_all(without.messages)) {
    decoded_values += t.values.size();
  }
  std::size_t expected = 0;
  for (const auto& m : without.messages) {
    const std::size_t a = m.topic.find('/', m.topic.find('/') + 1) + 1;
    const auto cls = class_from_name(m.topic.substr(a, m.topic.find('/', a) - a));
    REQUIRE(cls);
    if (m.topic.ends_with("/telemetry")) {
      expected += sensors_of(*cls).size();
    } else if (!m.topic.ends_with("/seq") && !m.topic.ends_with("/state")) {
      expected += 1;
    }
  }
  CHECK(decoded_values == expected);
}
