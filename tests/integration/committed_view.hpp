#pragma once
// What a read_committed consumer of kafka.delivery: exactly_once sees, as far as
// librdkafka's mock cluster lets a test know it.
//
// The mock cluster of librdkafka 2.0.2 takes transactions (begin, commit, abort succeed)
// but keeps no transaction markers: a consumer with isolation.level=read_committed gets
// the records of aborted and unfinished transactions too, and a second producer with
// the same transactional id does not fence the first (checked with a small program
// against librdkafka 2.0.2; docs/delivery-guarantees.md). A real cluster hides those
// records. This view does the hiding a real cluster would do, from what the gateway
// writes: every record carries its transaction's name in the `edgegw-transaction`
// header, and the transaction's cursor record on the offsets topic names it too. The
// gateway produces a cursor record only once its whole range is delivered, so a record
// is visible here once its transaction's cursor record has been read. (On the mock a
// transaction killed between its cursor record and its commit counts as committed here,
// and the restarted gateway, which reads the same cursor back, agrees.)
//
// Both readers read with isolation.level=read_committed, so against a real cluster the
// view only adds a check that the cluster already made.

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/kafka_fixture.hpp"

namespace edgegw::test {

class CommittedView {
 public:
  CommittedView(const std::string& bootstrap, const std::string& topic,
                const std::string& offsets_topic)
      : data_(bootstrap, topic, Isolation::read_committed),
        cursors_(bootstrap, offsets_topic, Isolation::read_committed) {}

  // Reads what arrived within `timeout` on both topics and releases the records whose
  // transaction is committed, in the order they were read.
  void read(std::chrono::milliseconds timeout) {
    data_.read_until(SIZE_MAX, timeout / 2);
    cursors_.read_until(SIZE_MAX, timeout / 2);
    for (; cursors_seen_ < cursors_.records().size(); ++cursors_seen_) {
      const auto doc = nlohmann::json::parse(cursors_.records()[cursors_seen_].value);
      committed_.insert(doc.at("transaction").get<std::string>());
    }
    for (; data_seen_ < data_.records().size(); ++data_seen_) {
      pending_.push_back(data_.records()[data_seen_]);
    }
    std::vector<ConsumedRecord> still_pending;
    for (ConsumedRecord& record : pending_) {
      const auto txn = record.headers.find("edgegw-transaction");
      if (txn != record.headers.end() && committed_.contains(txn->second)) {
        visible_.push_back(std::move(record));
      } else {
        still_pending.push_back(std::move(record));
      }
    }
    pending_ = std::move(still_pending);
  }

  [[nodiscard]] const std::vector<ConsumedRecord>& visible() const { return visible_; }
  // Records of transactions that never committed (aborted, or cut by a SIGKILL).
  [[nodiscard]] std::size_t hidden() const { return pending_.size(); }
  [[nodiscard]] std::size_t transactions() const { return committed_.size(); }
  // Everything read, as a read_uncommitted consumer (or the mock cluster's read_committed
  // one) gets it.
  [[nodiscard]] std::size_t read_records() const { return data_.records().size(); }

 private:
  KafkaReader data_;
  KafkaReader cursors_;
  std::size_t data_seen_ = 0;
  std::size_t cursors_seen_ = 0;
  std::set<std::string> committed_;
  std::vector<ConsumedRecord> pending_;
  std::vector<ConsumedRecord> visible_;
};

}  // namespace edgegw::test
