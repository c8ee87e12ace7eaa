// The simulator's bad payloads through the example gateway config. With every kind of bad
// payload frequent on every payload format (pump nested JSON, motor CSV, compressor bare
// numbers), the dead-letter topic holds exactly the payloads the labels list, each once
// and with the reason its kind deserves, and every good message (and every good reading
// of a partly bad one) arrives as telemetry.

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "simulated_fleet.hpp"

using nlohmann::json;

namespace {

// Two devices per class on the example's topics, each bad payload kind every minute or
// two per device, oversized payloads beyond the example's mqtt.max_payload (64 KiB).
constexpr const char* kFleet = R"(seed: 11
sites: [north, south]
classes:
  pump: {count: 2}
  motor: {count: 2}
  compressor: {count: 2}
bad_payloads:
  malformed: 40
  wrong_type: 40
  out_of_range: 40
  oversized: 20
  oversized_bytes: 100000
)";
constexpr int kDurationS = 600;

const std::vector<std::string> kClasses = {"pump", "motor", "compressor"};
const std::vector<std::string> kKinds = {"malformed", "wrong_type", "out_of_range", "oversized"};

// What the example config's mapping makes of each kind on each class's format.
std::string expected_reason(const std::string& device_class, const std::string& kind) {
  if (kind == "malformed") {
    return "decode_error";  // cut JSON, short CSV row, "12.34.7"
  }
  if (kind == "wrong_type") {
    return device_class == "compressor" ? "decode_error" : "wrong_type";  // bare "true"
  }
  return kind;  // out_of_range, oversized
}

// Topics are factory/{site}/{class}/{device}/...
std::string topic_part(const std::string& topic, std::size_t index) {
  std::istringstream in(topic);
  std::string part;
  for (std::size_t i = 0; i <= index && std::getline(in, part, '/'); ++i) {
  }
  return part;
}
std::string class_of(const std::string& topic) {
  return topic_part(topic, 2);
}
std::string device_of(const std::string& topic) {
  return topic_part(topic, 3);
}

// The first number in a JSON or CSV payload: its seq.
std::int64_t leading_seq(const std::string& payload) {
  const auto begin = payload.find_first_of("0123456789");
  return begin == std::string::npos ? -1 : std::stoll(payload.substr(begin));
}

std::string without_padding(const std::string& payload) {
  return payload.substr(0, payload.find_last_not_of(' ') + 1);
}

// What the simulator sent, from a dry run of the same fleet and flags (the generated
// messages depend on nothing else): compressor readings by (topic, tick seq).
using BarePayloads = std::map<std::pair<std::string, std::int64_t>, std::string>;

BarePayloads dry_run_bare_payloads(const edgegw::test::GatewayStack& stack,
                                   const std::filesystem::path& fleet,
                                   const std::vector<std::string>& start) {
  const auto file = stack.dir.path() / "dry-run.tsv";
  std::vector<std::string> args = {
      EDGEGW_SIM_BINARY,          "--fleet",   fleet.string(), "--duration",
      std::to_string(kDurationS), "--dry-run", file.string()};
  args.insert(args.end(), start.begin(), start.end());
  edgegw::test::ChildProcess sim(args, stack.dir.path() / "dry.out", stack.dir.path() / "dry.err");
  REQUIRE(sim.wait_for(std::chrono::seconds(60)) == 0);
  BarePayloads bare;
  std::map<std::string, std::int64_t> tick;  // device → seq of its current tick
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    const std::string topic = line.substr(0, tab);
    const std::string payload = line.substr(tab + 1);
    if (class_of(topic) != "compressor") {
      continue;
    }
    if (topic.ends_with("/seq")) {
      tick[device_of(topic)] = std::stoll(payload);
    } else {
      bare[{topic, tick[device_of(topic)]}] = payload;
    }
  }
  return bare;
}

// A dead letter, identified by the seq its payload carries, or (bare numbers) by the
// payload itself.
using Key = std::pair<std::string, std::string>;  // topic, "seq N" or "payload P"

Key key_of(const std::string& topic, std::int64_t seq) {
  return {topic, "seq " + std::to_string(seq)};
}
Key key_of(const std::string& topic, const std::string& payload) {
  return {topic, "payload " + without_padding(payload)};
}

// Everything the labels say should be dead-lettered, with the reason.
struct Expected {
  std::multiset<Key> dead;
  std::map<Key, std::string> reasons;
  std::set<std::pair<std::string, std::string>> kinds;   // (class, kind) covered
  std::map<std::string, std::set<std::int64_t>> spoilt;  // device → seqs spoilt as a whole
  std::map<std::pair<std::string, std::int64_t>, std::string> bad_sensor;  // (device, seq)
  std::set<std::pair<std::string, std::int64_t>> bad_bare;                 // (topic, seq)
};

Expected expected_dead_letters(const edgegw::test::FleetRun& run, const BarePayloads& bare) {
  Expected e;
  for (const json& label : run.bad_payloads) {
    const auto topic = label.at("topic").get<std::string>();
    const auto device = label.at("device").get<std::string>();
    const auto kind = label.at("kind").get<std::string>();
    const auto seq = label.at("seq").get<std::int64_t>();
    const std::string cls = class_of(topic);
    e.kinds.insert({cls, kind});
    const Key key = cls == "compressor" ? key_of(topic, bare.at({topic, seq})) : key_of(topic, seq);
    e.dead.insert(key);
    e.reasons[key] = expected_reason(cls, kind);
    if (cls == "compressor") {
      e.bad_bare.insert({topic, seq});
    } else if (label.at("sensor").is_null()) {
      e.spoilt[device].insert(seq);
    } else {
      e.bad_sensor[{device, seq}] = label.at("sensor").get<std::string>();
    }
  }
  return e;
}

// Lists up to a few elements of `a` missing from `b` (multisets), for failure messages.
std::string missing_from(const std::multiset<Key>& a, const std::multiset<Key>& b) {
  std::vector<Key> diff;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(diff));
  std::string text = std::to_string(diff.size()) + ":";
  for (std::size_t i = 0; i < diff.size() && i < 5; ++i) {
    text += " " + diff[i].first + " " + diff[i].second.substr(0, 80) + ";";
  }
  return text;
}

// Sensor names of one telemetry record.
std::set<std::string> sensors_of(const json& doc) {
  std::set<std::string> names;
  for (const auto& [name, reading] : doc.at("readings").items()) {
    names.insert(name);
  }
  return names;
}

// The example config maps each machine's operating state as the reading `state` too.
const std::map<std::string, std::set<std::string>> kMessageSensors = {
    {"pump", {"flow", "pressure", "current", "bearing_temp", "vibration", "power", "state"}},
    {"motor", {"current", "voltage", "speed", "temperature", "vibration", "state"}}};

// Checks the telemetry of one JSON/CSV device: every seq but the spoilt ones, each with
// every sensor but the one a bad payload hit. Returns the problems found.
std::string check_message_device(const std::string& device, const json& label,
                                 const std::map<std::int64_t, std::set<std::string>>& seen,
                                 const Expected& e) {
  const auto& all = kMessageSensors.at(device.substr(0, device.find('-')));
  const auto spoilt = e.spoilt.contains(device) ? e.spoilt.at(device) : std::set<std::int64_t>{};
  std::string problems;
  std::size_t count = 0;
  for (std::int64_t seq = label.at("first_seq"); seq <= label.at("last_seq"); ++seq) {
    const auto it = seen.find(seq);
    std::set<std::string> want = all;
    if (const auto bad = e.bad_sensor.find({device, seq}); bad != e.bad_sensor.end()) {
      want.erase(bad->second);
    }
    const bool ok =
        spoilt.contains(seq) ? it == seen.end() : it != seen.end() && it->second == want;
    if (!ok && ++count <= 5) {
      problems += fmt::format(" seq {} {};", seq, it == seen.end() ? "missing" : "wrong sensors");
    }
  }
  const std::size_t expected_records = label.at("last_seq").get<std::size_t>() -
                                       label.at("first_seq").get<std::size_t>() + 1 - spoilt.size();
  if (seen.size() != expected_records) {
    problems += fmt::format(" {} records, expected {};", seen.size(), expected_records);
  }
  return problems;
}

}  // namespace

TEST_CASE("every bad payload of the simulated fleet is dead-lettered, every good one is telemetry",
          "[integration][fleet]") {
  edgegw::test::GatewayStack stack;
  const auto fleet = stack.dir.path() / "fleet.yaml";
  edgegw::test::write_file(fleet, kFleet);
  const auto example_gateway = edgegw::test::start_example_gateway(stack);
  edgegw::test::GatewayProcess& gateway = *example_gateway;
  // One start for both runs, so that the dry run sends what the live one does.
  const std::vector<std::string> start = edgegw::test::recent_start(kDurationS);
  const BarePayloads bare = dry_run_bare_payloads(stack, fleet, start);
  const edgegw::test::FleetRun run = edgegw::test::run_simulator(stack, fleet, kDurationS, start);
  const Expected e = expected_dead_letters(run, bare);
  for (const auto& cls : kClasses) {
    for (const auto& kind : kKinds) {
      INFO(cls << " " << kind);
      CHECK(e.kinds.contains({cls, kind}));
    }
  }

  REQUIRE(gateway.wait_metric("mqtt_messages_total", static_cast<double>(run.messages),
                              std::chrono::seconds(60)) == static_cast<double>(run.messages));
  edgegw::test::KafkaReader dead(stack.kafka.bootstrap(), "edgegw.dead-letter");
  dead.read_until(e.dead.size(), std::chrono::seconds(60));
  dead.drain(std::chrono::seconds(2));

  // Exactly the labelled bad payloads are dead-lettered, each once, with its reason.
  std::multiset<Key> dead_keys;
  for (const auto& record : dead.records()) {
    const json doc = json::parse(record.value);
    const auto topic = doc.at("topic").get<std::string>();
    const auto payload = doc.value("payload", std::string());
    const Key key = class_of(topic) == "compressor" ? key_of(topic, payload)
                                                    : key_of(topic, leading_seq(payload));
    dead_keys.insert(key);
    INFO(key.first << " " << key.second.substr(0, 80) << ": " << doc.at("reason"));
    CHECK(doc.at("reason") == (e.reasons.contains(key) ? e.reasons.at(key) : "(not labelled)"));
    CHECK_FALSE(doc.at("problems").at(0).at("detail").get<std::string>().empty());
  }
  INFO("dead letters not labelled " << missing_from(dead_keys, e.dead));
  INFO("labelled but not dead-lettered " << missing_from(e.dead, dead_keys));
  CHECK(dead_keys == e.dead);

  // Every good message is telemetry: JSON/CSV by seq (with its good readings), compressor
  // ticks by their seq topic, compressor readings by value.
  std::map<std::string, std::map<std::int64_t, std::set<std::string>>> by_seq;
  std::multiset<std::tuple<std::string, std::string, double>> bare_seen;
  std::multiset<std::tuple<std::string, std::string, double>> bare_expected;
  for (const auto& [where, payload] : bare) {
    if (!e.bad_bare.contains(where)) {
      bare_expected.insert(
          {device_of(where.first), topic_part(where.first, 4), std::stod(payload)});
    }
  }
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  std::size_t expected_records = bare_expected.size();
  for (const auto& [device, label] : run.devices) {
    const auto spoilt = e.spoilt.contains(device) ? e.spoilt.at(device).size() : 0;
    expected_records += label.at("last_seq").get<std::size_t>() - spoilt;
  }
  telemetry.read_until(expected_records, std::chrono::seconds(60));
  telemetry.drain(std::chrono::seconds(2));
  for (const auto& record : telemetry.records()) {
    const json doc = json::parse(record.value);
    const auto device = doc.at("device").get<std::string>();
    if (doc.contains("seq")) {
      by_seq[device][doc.at("seq").get<std::int64_t>()] = sensors_of(doc);
      continue;
    }
    for (const auto& [name, reading] : doc.at("readings").items()) {
      bare_seen.insert({device, name, reading.at("value").get<double>()});
    }
  }
  for (const auto& [device, label] : run.devices) {
    INFO(device);
    if (device.starts_with("compressor")) {
      CHECK(by_seq[device].size() == label.at("last_seq").get<std::size_t>());
      CHECK(by_seq[device].rbegin()->first == label.at("last_seq").get<std::int64_t>());
    } else {
      CHECK(check_message_device(device, label, by_seq[device], e).empty());
    }
  }
  CHECK(bare_seen.size() == bare_expected.size());
  CHECK(bare_seen == bare_expected);
  CHECK(telemetry.records().size() == expected_records);

  // A wholly spoilt message hides its seq: the gap counter sees it missing, unless it was
  // the device's last message.
  std::size_t hidden = 0;
  for (const auto& [device, seqs] : e.spoilt) {
    const auto last = run.devices.at(device).at("last_seq").get<std::int64_t>();
    hidden += static_cast<std::size_t>(
        std::count_if(seqs.begin(), seqs.end(), [last](std::int64_t seq) { return seq < last; }));
  }
  CHECK(gateway.metric("sequence_gaps_total") == static_cast<double>(hidden));
  CHECK(gateway.terminate() == 0);
}
