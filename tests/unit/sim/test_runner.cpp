#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <sstream>

#include "runner.hpp"
#include "sim_test_support.hpp"

using namespace edgegw::sim;
using namespace edgegw::sim::test;

namespace {

// Records what it is given; refuses after `capacity` messages, like a sink that fails.
class RecordingSink final : public MessageSink {
 public:
  explicit RecordingSink(std::size_t capacity = SIZE_MAX) : capacity_(capacity) {}
  bool publish(const Message& m) override {
    if (messages.size() >= capacity_) {
      return false;
    }
    messages.push_back(m);
    return true;
  }
  std::uint64_t flush(std::chrono::milliseconds /*timeout*/) override { return 0; }
  std::vector<Message> messages;

 private:
  std::size_t capacity_;
};

std::vector<nlohmann::json> parse_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

}  // namespace

TEST_CASE("the runner stops at exactly N messages, even mid-tick", "[unit]") {
  // One compressor: 8 messages per tick (seq, 6 sensors, state), so 20 ends mid-tick.
  FleetConfig f = small_fleet({DeviceClass::compressor}, 1);
  FleetGenerator g(f);
  RecordingSink sink;
  std::ostringstream labels;
  RunOptions o;
  o.max_messages = 20;
  o.labels = &labels;
  const std::atomic<bool> stop{false};
  const RunStats s = run_fleet(g, sink, o, stop);
  CHECK(s.messages == 20);
  CHECK(sink.messages.size() == 20);
  CHECK(s.ticks == 3);
  const auto lines = parse_lines(labels.str());
  REQUIRE(lines.size() >= 2);
  CHECK(lines.front()["type"] == "run");
  CHECK(lines.back()["type"] == "device");
  CHECK(lines.back()["messages"] == 20);
  CHECK(lines.back()["last_seq"] == 3);
}

TEST_CASE("the runner stops after the event-time duration", "[unit]") {
  FleetConfig f = small_fleet({DeviceClass::pump, DeviceClass::motor}, 1);
  FleetGenerator g(f);
  RecordingSink sink;
  RunOptions o;
  o.duration_ms = 60000;
  const std::atomic<bool> stop{false};
  const RunStats s = run_fleet(g, sink, o, stop);
  CHECK(s.ticks == 120);  // two devices, one tick per second each
  for (const auto& m : sink.messages) {
    CHECK(m.event_ms < f.start_ms + 60000);
  }
}

TEST_CASE("a stop request or a failing sink ends the run cleanly", "[unit]") {
  FleetConfig f = small_fleet({DeviceClass::pump}, 1);
  SECTION("stop already requested") {
    FleetGenerator g(f);
    RecordingSink sink;
    const std::atomic<bool> stop{true};
    const RunStats s = run_fleet(g, sink, RunOptions{}, stop);
    CHECK(s.messages == 0);
    CHECK(s.stopped);
  }
  SECTION("sink refuses") {
    FleetGenerator g(f);
    RecordingSink sink(5);
    std::ostringstream labels;
    RunOptions o;
    o.labels = &labels;
    const std::atomic<bool> stop{false};
    const RunStats s = run_fleet(g, sink, o, stop);
    CHECK(s.messages == 5);
    const auto lines = parse_lines(labels.str());
    CHECK(lines.back()["messages"] == 5);
  }
}

TEST_CASE("payload formats follow the documented layout", "[unit]") {
  const auto run =
      generate(small_fleet({DeviceClass::pump, DeviceClass::motor, DeviceClass::compressor}, 2), 3);
  REQUIRE(run.messages.size() == 1 + 1 + 8);
  const auto pump = nlohmann::json::parse(run.messages[0].payload);
  CHECK(run.messages[0].topic == "factory/plant1/pump/pump-001/telemetry");
  CHECK(pump["seq"] == 1);
  CHECK(pump["ts"] == 1704067200000);
  CHECK(pump["state"] == "running");
  CHECK(pump["metrics"]["flow"]["unit"] == "m3/h");
  CHECK(pump["metrics"]["flow"]["value"].is_number());
  CHECK(pump["metrics"]["pressure"].is_number());
  CHECK(pump["fault"].is_null());
  CHECK(run.messages[1].topic == "factory/plant1/motor/motor-001/telemetry");
  CHECK(std::count(run.messages[1].payload.begin(), run.messages[1].payload.end(), ',') == 7);
  CHECK(run.messages[1].payload.starts_with("1,1704067200333,"));
  CHECK(run.messages[2].topic == "factory/plant1/compressor/compressor-001/seq");
  CHECK(run.messages[2].payload == "1");
  CHECK(run.messages[3].topic == "factory/plant1/compressor/compressor-001/discharge_pressure");
  CHECK(run.messages[9].topic == "factory/plant1/compressor/compressor-001/state");
  CHECK(run.messages[9].payload == "1");
}
