#pragma once
// KafkaTransactions and CommittedRecordReader for unit tests of the exactly-once
// forwarder: every call succeeds unless the test scripts a failure, and the calls are
// counted. Thread-safe (the forwarder's thread calls, the test thread scripts).

#include <array>
#include <deque>
#include <mutex>
#include <string>

#include "edgegw/kafka_transactions.hpp"

namespace edgegw::test {

class FakeKafkaTransactions final : public kafka::KafkaTransactions {
 public:
  enum class Call { init, begin, commit, abort };
  // The next call of that kind returns `errc` (queued per kind).
  void fail_next(Call call, kafka::TxnErrc errc);
  [[nodiscard]] std::size_t calls(Call call) const;

  kafka::TxnResult init(std::chrono::milliseconds timeout) override;
  kafka::TxnResult begin() override;
  kafka::TxnResult commit(std::chrono::milliseconds timeout) override;
  kafka::TxnResult abort(std::chrono::milliseconds timeout) override;

 private:
  kafka::TxnResult answer(Call call);

  mutable std::mutex mutex_;
  std::deque<std::pair<Call, kafka::TxnErrc>> scripted_;
  std::array<std::size_t, 4> counts_{};  // indexed by Call
};

class FakeRecordReader final : public kafka::CommittedRecordReader {
 public:
  // What read_last answers: nothing found (the default), or this value.
  void holds(std::string value);
  Outcome read_last(const std::string& topic, const std::string& key,
                    std::chrono::milliseconds timeout) override;

 private:
  std::mutex mutex_;
  Outcome outcome_{true, false, {}, {}};
};

}  // namespace edgegw::test
