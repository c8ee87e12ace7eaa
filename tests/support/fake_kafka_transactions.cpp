#include "support/fake_kafka_transactions.hpp"

#include <algorithm>

namespace edgegw::test {

void FakeKafkaTransactions::fail_next(Call call, kafka::TxnErrc errc) {
  const std::lock_guard lock(mutex_);
  scripted_.emplace_back(call, errc);
}

std::size_t FakeKafkaTransactions::calls(Call call) const {
  const std::lock_guard lock(mutex_);
  return counts_.at(static_cast<std::size_t>(call));
}

kafka::TxnResult FakeKafkaTransactions::answer(Call call) {
  const std::lock_guard lock(mutex_);
  ++counts_.at(static_cast<std::size_t>(call));
  const auto it = std::find_if(scripted_.begin(), scripted_.end(),
                               [call](const auto& entry) { return entry.first == call; });
  if (it == scripted_.end()) {
    return {};
  }
  const kafka::TxnErrc errc = it->second;
  scripted_.erase(it);
  return {errc, std::string("scripted ") + std::string(kafka::txn_errc_name(errc))};
}

kafka::TxnResult FakeKafkaTransactions::init(std::chrono::milliseconds /*timeout*/) {
  return answer(Call::init);
}
kafka::TxnResult FakeKafkaTransactions::begin() {
  return answer(Call::begin);
}
kafka::TxnResult FakeKafkaTransactions::commit(std::chrono::milliseconds /*timeout*/) {
  return answer(Call::commit);
}
kafka::TxnResult FakeKafkaTransactions::abort(std::chrono::milliseconds /*timeout*/) {
  return answer(Call::abort);
}

void FakeRecordReader::holds(std::string value) {
  const std::lock_guard lock(mutex_);
  outcome_ = {true, true, std::move(value), {}};
}

kafka::CommittedRecordReader::Outcome FakeRecordReader::read_last(
    const std::string& /*topic*/, const std::string& /*key*/,
    std::chrono::milliseconds /*timeout*/) {
  const std::lock_guard lock(mutex_);
  return outcome_;
}

}  // namespace edgegw::test
