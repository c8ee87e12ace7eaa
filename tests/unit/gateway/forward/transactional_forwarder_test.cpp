// The exactly-once forwarder's transaction logic against fakes and a real log in a
// temporary directory: what each transaction carries, where it starts, what an abort
// and a fence do. (Against librdkafka's mock cluster: tests/integration/exactly_once_test.cpp.)
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "edgegw/log.hpp"
#include "forward/cursor_record.hpp"
#include "forward/transactional_forwarder.hpp"
#include "support/fake_kafka_producer.hpp"
#include "support/fake_kafka_transactions.hpp"
#include "support/temp_dir.hpp"

namespace {

using edgegw::Stream;
using edgegw::forward::TransactionalForwarder;
using edgegw::kafka::TxnErrc;
using edgegw::test::FakeKafkaProducer;
using edgegw::test::FakeKafkaTransactions;
using edgegw::test::FakeRecordReader;
using Call = FakeKafkaTransactions::Call;
using namespace std::chrono_literals;

constexpr auto kPatience = 5s;

edgegw::KafkaConfig kafka_config() {
  edgegw::KafkaConfig config;
  config.bootstrap_servers = "127.0.0.1:1";  // unused by the fakes
  config.delivery = edgegw::KafkaDelivery::exactly_once;
  config.transactional_id = "edgegw-gw-1";
  config.transaction_interval = 0ms;
  config.transaction_max_records = 4;
  return config;
}

struct Bench {
  edgegw::test::TempDir dir;
  std::unique_ptr<edgegw::store::DurableLog> log;
  FakeKafkaProducer producer;
  FakeKafkaTransactions transactions;
  FakeRecordReader reader;
  std::unique_ptr<TransactionalForwarder> forwarder;

  explicit Bench(std::size_t records) {
    edgegw::store::LogConfig config;
    config.directory = dir.path() / "log";
    log = edgegw::store::DurableLog::open(config);
    for (std::size_t i = 0; i < records; ++i) {
      REQUIRE(log->append(Stream::telemetry, "dev", "reading " + std::to_string(i)));
    }
    forwarder = std::make_unique<TransactionalForwarder>(kafka_config(), "gw-1", *log, producer,
                                                         transactions, reader);
  }

  // The log offsets of the accepted telemetry records, and the cursors, in order.
  [[nodiscard]] std::vector<std::string> offsets() const {
    std::vector<std::string> out;
    for (const auto& m : producer.accepted()) {
      for (const auto& [name, value] : m.headers) {
        if (name == "edgegw-offset") {
          out.push_back(value);
        }
      }
    }
    return out;
  }
  [[nodiscard]] std::vector<std::uint64_t> cursors() const {
    std::vector<std::uint64_t> out;
    for (const auto& m : producer.accepted()) {
      if (m.topic == "edgegw.offsets") {
        std::string why;
        out.push_back(edgegw::forward::decode_cursor_record(m.value, why)->next_offset);
      }
    }
    return out;
  }
  bool committed(std::uint64_t count) {
    return producer.wait_until(
        [&] { return forwarder->probe().transactions_committed.load() >= count; }, kPatience);
  }
};

}  // namespace

TEST_CASE("each range goes in one transaction with its cursor record",
          "[unit][forward][exactly_once]") {
  Bench bench(10);
  bench.forwarder->start();
  REQUIRE(bench.committed(3));  // 4 + 4 + 2 records
  bench.forwarder->stop(1s);
  CHECK(bench.offsets() ==
        std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
  CHECK(bench.cursors() == std::vector<std::uint64_t>{4, 8, 10});
  CHECK(bench.transactions.calls(Call::init) == 1);
  CHECK(bench.transactions.calls(Call::abort) == 0);
  CHECK(bench.log->cursor() == 10);
  CHECK(bench.forwarder->probe().delivered.at(0) == 10);
  // The cursor record's key is the transactional id, and its range's records carry the
  // transaction's name, which the cursor record names too.
  const auto accepted = bench.producer.accepted();
  CHECK(accepted.at(4).topic == "edgegw.offsets");
  CHECK(accepted.at(4).key == "edgegw-gw-1");
  std::string txn;
  for (const auto& [name, value] : accepted.at(0).headers) {
    txn = name == "edgegw-transaction" ? value : txn;
  }
  CHECK_FALSE(txn.empty());
  CHECK(accepted.at(4).value.find(txn) != std::string::npos);
}

TEST_CASE("the forwarder resumes from the cursor committed in Kafka",
          "[unit][forward][exactly_once]") {
  Bench bench(10);
  bench.reader.holds(edgegw::forward::encode_cursor_record({7, "earlier-3"}));
  bench.forwarder->start();
  REQUIRE(bench.committed(1));
  bench.forwarder->stop(1s);
  CHECK(bench.offsets() == std::vector<std::string>{"7", "8", "9"});
  CHECK(bench.log->cursor() == 10);
}

TEST_CASE("an abortable commit failure sends the same range again",
          "[unit][forward][exactly_once]") {
  Bench bench(3);
  bench.transactions.fail_next(Call::commit, TxnErrc::abortable);
  bench.forwarder->start();
  REQUIRE(bench.committed(1));
  bench.forwarder->stop(1s);
  CHECK(bench.forwarder->probe().transactions_aborted == 1);
  CHECK(bench.transactions.calls(Call::abort) == 1);
  CHECK(bench.offsets() == std::vector<std::string>{"0", "1", "2", "0", "1", "2"});
  CHECK(bench.cursors() == std::vector<std::uint64_t>{3, 3});
  CHECK(bench.log->cursor() == 3);
}

TEST_CASE("a retriable commit failure commits again without resending",
          "[unit][forward][exactly_once]") {
  Bench bench(3);
  bench.transactions.fail_next(Call::commit, TxnErrc::retriable);
  bench.forwarder->start();
  REQUIRE(bench.committed(1));
  bench.forwarder->stop(1s);
  CHECK(bench.forwarder->probe().transactions_aborted == 0);
  CHECK(bench.transactions.calls(Call::commit) == 2);
  CHECK(bench.offsets() == std::vector<std::string>{"0", "1", "2"});
}

TEST_CASE("a fenced producer stops forwarding and leaves the records in the log",
          "[unit][forward][exactly_once]") {
  Bench bench(3);
  bench.transactions.fail_next(Call::commit, TxnErrc::fatal);
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until(
      [&] { return bench.forwarder->probe().transactions_stopped.load(); }, kPatience));
  bench.forwarder->stop(1s);
  CHECK(bench.forwarder->probe().transactions_committed == 0);
  CHECK(bench.log->cursor() == 0);
}

TEST_CASE("an unreadable cursor record in Kafka stops forwarding rather than guess",
          "[unit][forward][exactly_once]") {
  Bench bench(3);
  bench.reader.holds(R"({"version":9,"next_offset":2})");
  bench.forwarder->start();
  REQUIRE(bench.producer.wait_until(
      [&] { return bench.forwarder->probe().transactions_stopped.load(); }, kPatience));
  bench.forwarder->stop(1s);
  CHECK(bench.producer.accepted().empty());
}

TEST_CASE("a begin that fails goes on with the next transaction", "[unit][forward][exactly_once]") {
  Bench bench(3);
  bench.transactions.fail_next(Call::begin, TxnErrc::abortable);
  bench.transactions.fail_next(Call::abort, TxnErrc::abortable);  // nothing was open
  bench.forwarder->start();
  REQUIRE(bench.committed(1));
  bench.forwarder->stop(1s);
  CHECK(bench.transactions.calls(Call::abort) == 1);
  CHECK(bench.offsets() == std::vector<std::string>{"0", "1", "2"});
}
