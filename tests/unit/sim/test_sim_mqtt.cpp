// The edgegw-sim binary against a real mosquitto, read back by a real Paho subscriber.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <mqtt/async_client.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "sim_test_support.hpp"
#include "support/child_process.hpp"
#include "support/mosquitto_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace edgegw::sim;
using namespace edgegw::sim::test;
using namespace edgegw::test;
using namespace std::chrono_literals;

namespace {

// Subscribes to factory/# (again after every reconnect) and keeps what arrives. A
// persistent one keeps its session, so that the broker (with persistence) keeps the
// messages queued for it across a restart.
class Subscriber {
 public:
  explicit Subscriber(const std::string& uri, bool persistent = false)
      : client_(uri, "sim-test-subscriber") {
    client_.set_message_callback([this](const mqtt::const_message_ptr& m) {
      const std::lock_guard lock(mu_);
      messages_.push_back(Message{m->get_topic(), m->to_string(), m->get_qos(), 0, 0});
    });
    client_.set_connected_handler(
        [this](const std::string&) { client_.subscribe("factory/#", 1); });
    auto opts = mqtt::connect_options_builder()
                    .clean_session(!persistent)
                    .automatic_reconnect(100ms, 1s)
                    .finalize();
    client_.connect(opts)->wait_for(10s);
    // The subscription is made from the connected handler; wait until it is in place.
    for (int i = 0; i < 100 && !subscribed(); ++i) {
      std::this_thread::sleep_for(20ms);
    }
  }
  ~Subscriber() {
    try {
      client_.disconnect()->wait_for(5s);
    } catch (const mqtt::exception&) {
    }
  }
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  std::size_t count() {
    const std::lock_guard lock(mu_);
    return messages_.size();
  }
  std::vector<Message> messages() {
    const std::lock_guard lock(mu_);
    return messages_;
  }
  // Waits (bounded) until `n` messages arrived or nothing new came for `quiet`.
  void wait_for(std::size_t n, std::chrono::milliseconds bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (count() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
  }

 private:
  bool subscribed() {
    // A retained-free probe: publish to our own topic and see it come back.
    client_.publish("factory/probe/x/y/z", "probe", 1, false)->wait_for(2s);
    std::this_thread::sleep_for(50ms);
    const std::lock_guard lock(mu_);
    const bool seen = std::any_of(messages_.begin(), messages_.end(), [](const Message& m) {
      return m.topic == "factory/probe/x/y/z";
    });
    messages_.erase(
        std::remove_if(messages_.begin(), messages_.end(),
                       [](const Message& m) { return m.topic.starts_with("factory/probe/"); }),
        messages_.end());
    return seen;
  }

  mqtt::async_client client_;
  std::mutex mu_;
  std::vector<Message> messages_;
};

std::map<std::string, std::uint64_t> last_seqs(const std::filesystem::path& labels) {
  std::map<std::string, std::uint64_t> out;
  std::istringstream in(read_file(labels));
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j["type"] == "device") {
      out[j["device"]] = j["last_seq"];
    }
  }
  return out;
}

std::map<std::string, std::vector<std::uint64_t>> seqs_by_device(const std::vector<Message>& m) {
  std::map<std::string, std::vector<std::uint64_t>> out;
  for (const auto& t : decode_all(m)) {
    out[t.device].push_back(t.seq);
  }
  return out;
}

// Every device's sequence numbers arrived, from 1 to the last the labels give, each once
// (or at least once, when a reconnect may have sent some again).
void check_contiguous(const std::vector<Message>& received, const std::filesystem::path& labels,
                      bool duplicates_allowed = false) {
  const auto expected = last_seqs(labels);
  auto seqs = seqs_by_device(received);
  REQUIRE(seqs.size() == expected.size());
  for (auto& [device, s] : seqs) {
    INFO(device);
    std::sort(s.begin(), s.end());
    if (duplicates_allowed) {
      s.erase(std::unique(s.begin(), s.end()), s.end());
    }
    REQUIRE(s.front() == 1);
    for (std::size_t i = 1; i < s.size(); ++i) {
      REQUIRE(s[i] == s[i - 1] + 1);
    }
    CHECK(s.back() == expected.at(device));
  }
}

// Runs edgegw-sim with `args` (plus --broker, --messages and --labels) against a fresh
// broker and checks that a subscriber receives all `messages`, contiguous per device.
void publish_and_check_contiguous(std::vector<std::string> args, std::size_t messages) {
  MosquittoFixture broker;
  Subscriber sub(broker.uri());
  const auto& dir = broker.dir().path();
  args.insert(args.begin(),
              {EDGEGW_SIM_BINARY, "--broker", broker.uri(), "--messages", std::to_string(messages),
               "--labels", (dir / "labels.jsonl").string()});
  ChildProcess sim(args, dir / "sim.out", dir / "sim.err");
  const auto rc = sim.wait_for(60s);
  INFO(read_file(dir / "sim.err"));
  REQUIRE(rc == 0);
  CHECK_THAT(read_file(dir / "sim.out"), Catch::Contains(fmt::format("messages={} ", messages)) &&
                                             Catch::Contains("undelivered=0 "));
  sub.wait_for(messages, 30s);
  const auto received = sub.messages();
  REQUIRE(received.size() == messages);
  check_contiguous(received, dir / "labels.jsonl");
}

}  // namespace

TEST_CASE("N messages published by edgegw-sim arrive with contiguous sequence numbers",
          "[integration]") {
  publish_and_check_contiguous({"--accelerated", "--qos", "1", "--seed", "5", "--no-bad-payloads",
                                "--client-id", "sim-under-test"},
                               20000);
}

TEST_CASE("load mode over several connections keeps every device's sequence contiguous",
          "[integration]") {
  publish_and_check_contiguous(
      {"--load", "--devices", "12", "--connections", "3", "--no-bad-payloads", "--no-anomalies",
       "--client-id", "sim-sharded"},
      15000);
}

TEST_CASE("SIGTERM stops a real-time run after flushing what it published", "[integration]") {
  MosquittoFixture broker;
  Subscriber sub(broker.uri());
  const auto& dir = broker.dir().path();
  ChildProcess sim({EDGEGW_SIM_BINARY, "--broker", broker.uri(), "--interval-ms", "50"},
                   dir / "sim.out", dir / "sim.err");
  std::this_thread::sleep_for(1500ms);
  sim.signal(SIGTERM);
  REQUIRE(sim.wait_for(15s) == 0);
  const std::string out = read_file(dir / "sim.out");
  INFO(out << read_file(dir / "sim.err"));
  CHECK_THAT(out, Catch::Contains("stopped_by_signal=1"));
  const auto pos = out.find("messages=") + 9;
  const auto published = std::stoull(out.substr(pos, out.find(' ', pos) - pos));
  CHECK(published > 0);
  sub.wait_for(published, 10s);
  CHECK(sub.count() == published);
}

TEST_CASE("the simulator rides out a broker restart and finishes its run", "[integration]") {
  // Broker persistence and a persistent subscriber: every message the broker accepted
  // reaches the subscriber even when the broker stops before delivering it.
  MosquittoOptions options;
  options.persistence = true;
  MosquittoFixture broker(options);
  Subscriber sub(broker.uri(), true);
  const auto& dir = broker.dir().path();
  ChildProcess sim(
      {EDGEGW_SIM_BINARY, "--broker", broker.uri(), "--accelerated", "--rate", "1500", "--messages",
       "12000", "--labels", (dir / "labels.jsonl").string(), "--no-bad-payloads"},
      dir / "sim.out", dir / "sim.err");
  // 8 s of publishing at 1500 msg/s; the broker is away from 1.5 s to 3 s.
  std::this_thread::sleep_for(1500ms);
  broker.stop();
  std::this_thread::sleep_for(1500ms);
  broker.start();
  const auto rc = sim.wait_for(60s);
  INFO(read_file(dir / "sim.out") << read_file(dir / "sim.err"));
  REQUIRE(rc == 0);
  const std::string err = read_file(dir / "sim.err");
  INFO(err);
  CHECK_THAT(err, Catch::Contains("Lost the MQTT broker"));
  CHECK_THAT(read_file(dir / "sim.out"),
             Catch::Contains("messages=12000 ") && Catch::Contains("undelivered=0 resent="));
  // Every seq of every device arrived (some twice: the simulator re-sends what the broker
  // had not acknowledged when it went away).
  sub.wait_for(12000, 20s);
  std::this_thread::sleep_for(500ms);  // late duplicates
  check_contiguous(sub.messages(), dir / "labels.jsonl", true);
}

TEST_CASE("a dry run with --dry-run-time starts each line with the publish time", "[integration]") {
  TempDir dir;
  const auto plain = dir.path() / "plain.tsv";
  const auto timed = dir.path() / "timed.tsv";
  for (const auto& [file, extra] : {std::pair{plain, std::vector<std::string>{}},
                                    std::pair{timed, std::vector<std::string>{"--dry-run-time"}}}) {
    std::vector<std::string> args{
        EDGEGW_SIM_BINARY, "--fleet", EDGEGW_FLEET_EXAMPLE, "--start",    "1704067200000",
        "--messages",      "40",      "--dry-run",          file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    ChildProcess sim(args, dir.path() / "out", dir.path() / "err");
    REQUIRE(sim.wait_for(20s) == 0);
  }
  std::istringstream plain_lines(read_file(plain));
  std::istringstream timed_lines(read_file(timed));
  std::int64_t previous = 0;
  int lines = 0;
  for (std::string p, t; std::getline(plain_lines, p) && std::getline(timed_lines, t); ++lines) {
    const std::size_t tab = t.find('\t');
    REQUIRE(tab != std::string::npos);
    CHECK(t.substr(tab + 1) == p);  // the same message after the time
    const std::int64_t time = std::stoll(t.substr(0, tab));
    CHECK(time >= std::max<std::int64_t>(previous, 1704067200000));
    previous = time;
  }
  CHECK(lines == 40);
  CHECK(previous > 1704067200000);
}

TEST_CASE("an unreachable broker and a bad fleet file give clear errors", "[integration]") {
  TempDir dir;
  SECTION("broker") {
    const int port = free_loopback_port();  // nothing listens there
    const std::string uri = "tcp://127.0.0.1:" + std::to_string(port);
    ChildProcess sim({EDGEGW_SIM_BINARY, "--broker", uri, "--connect-timeout", "1"},
                     dir.path() / "out", dir.path() / "err");
    CHECK(sim.wait_for(20s) == 3);
    CHECK_THAT(read_file(dir.path() / "err"),
               Catch::Contains("cannot connect to the MQTT broker at " + uri));
  }
  SECTION("fleet file") {
    const auto fleet = dir.path() / "fleet.yaml";
    std::ofstream(fleet) << "sites: [a]\nclasses:\n  pump:\n    count: -3\n";
    ChildProcess sim({EDGEGW_SIM_BINARY, "--fleet", fleet.string(), "--dry-run",
                      (dir.path() / "x.tsv").string()},
                     dir.path() / "out", dir.path() / "err");
    CHECK(sim.wait_for(20s) == 2);
    const std::string err = read_file(dir.path() / "err");
    CHECK_THAT(err, Catch::Contains(fleet.string() + ":4: classes.pump.count"));
  }
}

TEST_CASE("command-line errors exit 2 and say what is wrong", "[integration]") {
  TempDir dir;
  const auto run = [&dir](std::vector<std::string> args) {
    args.insert(args.begin(), EDGEGW_SIM_BINARY);
    ChildProcess sim(args, dir.path() / "out", dir.path() / "err");
    const auto rc = sim.wait_for(20s);
    return std::make_pair(rc.value_or(-1), read_file(dir.path() / "err"));
  };
  SECTION("a value out of range") {
    const auto [rc, err] = run({"--qos", "5", "--no-publish", "--messages", "1"});
    CHECK(rc == 2);
    CHECK_THAT(err, Catch::Contains("--qos") && Catch::Contains("--help"));
  }
  SECTION("a fleet file that does not exist") {
    const auto missing = (dir.path() / "missing.yaml").string();
    const auto [rc, err] = run({"--fleet", missing, "--no-publish", "--messages", "1"});
    CHECK(rc == 2);
    CHECK_THAT(err, Catch::Contains("--fleet") && Catch::Contains(missing));
  }
  SECTION("an unknown option") {
    const auto [rc, err] = run({"--no-such-flag"});
    CHECK(rc == 2);
    CHECK_THAT(err, Catch::Contains("--no-such-flag"));
  }
  SECTION("a broker URI with an unknown scheme") {
    const auto [rc, err] = run({"--broker", "foo://bar", "--messages", "1"});
    CHECK(rc == 2);
    CHECK_THAT(err, Catch::Contains("--broker foo://bar") && Catch::Contains("scheme 'foo'"));
  }
  SECTION("--help still succeeds") {
    CHECK(run({"--help"}).first == 0);
  }
}
