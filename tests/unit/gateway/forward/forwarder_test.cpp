// The forwarder's delivery logic against a fake producer and a real log in a temporary
// directory: what reaches Kafka, and where the cursor may move.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <thread>

#include "edgegw/log.hpp"
#include "forward/forwarder.hpp"
#include "support/fake_kafka_producer.hpp"
#include "support/temp_dir.hpp"

namespace {

using edgegw::Stream;
using edgegw::forward::Forwarder;
using edgegw::kafka::KafkaErrc;
using edgegw::test::FakeKafkaProducer;
using namespace std::chrono_literals;

constexpr auto kPatience = 5s;  // bounds every wait; the checks pass in milliseconds

edgegw::KafkaConfig kafka_config() {
  edgegw::KafkaConfig config;
  config.bootstrap_servers = "127.0.0.1:1";  // unused by the fake
  config.topics = {{Stream::telemetry, "telemetry"},
                   {Stream::dead_letter, "dead-letter"},
                   {Stream::alerts, "alerts"},
                   {Stream::aggregates, "aggregates"},
                   {Stream::predictions, "predictions"}};
  return config;
}

struct Bench {
  edgegw::test::TempDir dir;
  std::unique_ptr<edgegw::store::DurableLog> log;
  FakeKafkaProducer producer;
  std::unique_ptr<Forwarder> forwarder;

  explicit Bench(std::size_t records,
                 std::chrono::milliseconds commit_interval = Forwarder::kCommitInterval) {
    edgegw::store::LogConfig config;
    config.directory = dir.path() / "log";
    log = edgegw::store::DurableLog::open(config);
    for (std::size_t i = 0; i < records; ++i) {
      REQUIRE(log->append(Stream::telemetry, "dev-" + std::to_string(i % 2),
                          "reading " + std::to_string(i)));
    }
    forwarder =
        std::make_unique<Forwarder>(kafka_config(), "gw-1", *log, producer, commit_interval);
  }

  std::size_t accepted_on(const std::string& topic) const {
    std::size_t n = 0;
    for (const auto& m : producer.accepted()) {
      n += m.topic == topic ? 1 : 0;
    }
    return n;
  }
};

}  // namespace

TEST_CASE("records reach their topic keyed as stored, and the cursor follows the acks",
          "[unit][forward]") {
  Bench bench(3);
  REQUIRE(bench.log->append(Stream::alerts, "dev-0", "an alert"));
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.log->cursor() == 4; }, kPatience));
  bench.forwarder->stop(0ms);

  const auto accepted = bench.producer.accepted();
  REQUIRE(accepted.size() == 4);
  CHECK(accepted[1].topic == "telemetry");
  CHECK(accepted[1].key == "dev-1");
  CHECK(accepted[1].value == "reading 1");
  using Header = std::pair<std::string, std::string>;
  CHECK(accepted[1].headers ==
        std::vector<Header>{{"edgegw-gateway", "gw-1"}, {"edgegw-offset", "1"}});
  const auto& delivered = bench.forwarder->probe().delivered;
  CHECK(delivered.at(static_cast<std::size_t>(Stream::telemetry)) == 3);
  CHECK(delivered.at(static_cast<std::size_t>(Stream::alerts)) == 1);
}

TEST_CASE("the cursor waits for the oldest unacknowledged record", "[unit][forward]") {
  Bench bench(3);
  bench.producer.auto_acknowledge(false);
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.producer.in_flight() == 3; }, kPatience));
  bench.forwarder->stop(0ms);  // nothing acknowledged: the flush times out
  CHECK(bench.log->cursor() == 0);
  CHECK(bench.accepted_on("dead-letter") == 0);
}

TEST_CASE("a record Kafka can never take is reported on the dead-letter stream",
          "[unit][forward]") {
  Bench bench(3);
  bench.producer.refuse_next(1, KafkaErrc::rejected);  // offset 0, e.g. too large
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.log->cursor() == 3; }, kPatience));
  bench.forwarder->stop(0ms);

  REQUIRE(bench.accepted_on("dead-letter") == 1);
  CHECK(bench.accepted_on("telemetry") == 2);
  CHECK(bench.forwarder->probe().delivery_failures == 1);
}

TEST_CASE("a record refused with a full queue while stopping stays in the log", "[unit][forward]") {
  Bench bench(3);
  bench.producer.refuse_all(KafkaErrc::queue_full);
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.producer.produce_calls() > 0; }, kPatience));
  bench.forwarder->stop(0ms);

  CHECK(bench.log->cursor() == 0);  // never produced: sent at the next start
  CHECK(bench.producer.accepted().empty());
  CHECK(bench.forwarder->probe().delivery_failures == 0);
}

TEST_CASE("a timed-out record the producer cannot take again is sent once it can",
          "[unit][forward]") {
  Bench bench(3);
  bench.producer.auto_acknowledge(false);
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.producer.in_flight() == 3; }, kPatience));

  bench.producer.refuse_next(3, KafkaErrc::queue_full);  // the re-produce, then retries
  bench.producer.auto_acknowledge(true);
  bench.producer.complete_oldest(KafkaErrc::timed_out);  // offset 0
  bench.producer.complete_oldest(KafkaErrc::ok);
  bench.producer.complete_oldest(KafkaErrc::ok);
  CHECK(bench.producer.wait_until([&] { return bench.log->cursor() == 3; }, kPatience));
  bench.forwarder->stop(0ms);

  CHECK(bench.accepted_on("telemetry") == 4);  // offset 0 twice
  CHECK(bench.accepted_on("dead-letter") == 0);
  CHECK(bench.forwarder->probe().delivery_retries == 1);
}

TEST_CASE("a timed-out record Kafka then refuses for good is reported once", "[unit][forward]") {
  Bench bench(3);
  bench.producer.auto_acknowledge(false);
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.producer.in_flight() == 3; }, kPatience));

  bench.producer.refuse_next(1, KafkaErrc::rejected);  // the re-produce
  bench.producer.auto_acknowledge(true);
  bench.producer.complete_oldest(KafkaErrc::timed_out);  // offset 0
  bench.producer.complete_oldest(KafkaErrc::ok);
  bench.producer.complete_oldest(KafkaErrc::ok);
  CHECK(bench.producer.wait_until([&] { return bench.log->cursor() == 3; }, kPatience));
  bench.forwarder->stop(0ms);

  CHECK(bench.accepted_on("telemetry") == 3);  // offset 0 not produced again
  CHECK(bench.accepted_on("dead-letter") == 1);
  CHECK(bench.forwarder->probe().delivery_failures == 1);
}

TEST_CASE("deliveries that time out during stop leave their records in the log",
          "[unit][forward]") {
  Bench bench(3);
  bench.producer.auto_acknowledge(false);
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.producer.in_flight() == 3; }, kPatience));
  bench.producer.on_flush_report(KafkaErrc::timed_out);  // a message.timeout.ms the user set
  bench.forwarder->stop(0ms);

  CHECK(bench.log->cursor() == 0);
  CHECK(bench.accepted_on("dead-letter") == 0);
  CHECK(bench.forwarder->probe().delivery_failures == 0);
}

TEST_CASE("records not delivered for a passing reason stay in flight", "[unit][forward]") {
  Bench bench(3);
  bench.producer.auto_acknowledge(false);
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.producer.in_flight() == 3; }, kPatience));
  bench.producer.complete_oldest(KafkaErrc::retriable);  // e.g. a fatal producer state
  bench.producer.complete_oldest(KafkaErrc::ok);
  bench.producer.complete_oldest(KafkaErrc::ok);
  REQUIRE(bench.producer.wait_until([&] { return bench.producer.in_flight() == 0; }, kPatience));
  bench.forwarder->stop(0ms);

  CHECK(bench.log->cursor() == 0);
  CHECK(bench.accepted_on("dead-letter") == 0);
}

// The interval is an hour here: only the end of a backlog can move the cursor while the
// test runs.
TEST_CASE("a drained backlog is committed as soon as Kafka acknowledged it", "[unit][forward]") {
  Bench bench(5000, 1h);  // more than one read takes
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until([&] { return bench.log->cursor() == 5000; }, kPatience));
  bench.forwarder->stop(0ms);
}

TEST_CASE("live records keep to the commit interval", "[unit][forward]") {
  Bench bench(10, 1h);  // one read takes them all
  bench.forwarder->start();
  REQUIRE(
      bench.producer.wait_until([&] { return bench.producer.accepted().size() == 10; }, kPatience));
  REQUIRE(bench.producer.wait_until([&] { return bench.forwarder->probe().delivered.at(0) == 10; },
                                    kPatience));
  std::this_thread::sleep_for(50ms);  // time for a wrong commit to happen
  CHECK(bench.log->cursor() == 0);    // acknowledged, but the cursor waits for the interval
  bench.forwarder->stop(0ms);
  CHECK(bench.log->cursor() == 10);  // stop() commits what was acknowledged
}
