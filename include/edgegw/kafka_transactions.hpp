#pragma once
// The exactly-once forwarder's view of Kafka: a transactional producer (the calls of
// Kafka's transaction protocol and the three kinds of failure it distinguishes) and a
// reader of the cursor it committed. The librdkafka implementations are
// gateway/kafka/rdkafka_producer.* and rdkafka_record_reader.*; unit tests use fakes
// (tests/support/fake_kafka_transactions.*).
//
// Threads: the forwarder's thread, the producer's one user as for KafkaProducer.

#include <chrono>
#include <string>
#include <string_view>

namespace edgegw::kafka {

enum class TxnErrc {
  ok,
  retriable,  // the call may be made again as it is (a timeout, brokers unreachable)
  abortable,  // the transaction failed: abort it, then send its records again
  fatal,      // the producer can never go on (fenced by another producer with the same
              // transactional.id, or not authorised): stop
};

[[nodiscard]] constexpr std::string_view txn_errc_name(TxnErrc errc) {
  switch (errc) {
    case TxnErrc::ok:
      return "ok";
    case TxnErrc::retriable:
      return "retriable";
    case TxnErrc::abortable:
      return "abortable";
    case TxnErrc::fatal:
      return "fatal";
  }
  return "unknown";
}

struct TxnResult {
  TxnErrc errc = TxnErrc::ok;
  std::string detail;  // the client's own words

  explicit operator bool() const { return errc == TxnErrc::ok; }
};

class KafkaTransactions {
 public:
  KafkaTransactions() = default;
  KafkaTransactions(const KafkaTransactions&) = delete;
  KafkaTransactions& operator=(const KafkaTransactions&) = delete;
  virtual ~KafkaTransactions() = default;

  // Registers the transactional id with the cluster: fences any earlier producer with
  // the same id and aborts the transaction it left open.
  virtual TxnResult init(std::chrono::milliseconds timeout) = 0;
  virtual TxnResult begin() = 0;
  // Flushes what was produced in the transaction and commits it.
  virtual TxnResult commit(std::chrono::milliseconds timeout) = 0;
  virtual TxnResult abort(std::chrono::milliseconds timeout) = 0;
};

// Reads back, as a consumer with isolation.level=read_committed, the value of the newest
// record with a given key on a topic: the exactly-once forwarder's cursor at start.
class CommittedRecordReader {
 public:
  CommittedRecordReader() = default;
  CommittedRecordReader(const CommittedRecordReader&) = delete;
  CommittedRecordReader& operator=(const CommittedRecordReader&) = delete;
  virtual ~CommittedRecordReader() = default;

  struct Outcome {
    bool complete = false;  // read to the end of every partition within the timeout
    bool found = false;     // a record with the key was read
    std::string value;      // the newest one's, when found
    std::string detail;     // why not complete
  };
  virtual Outcome read_last(const std::string& topic, const std::string& key,
                            std::chrono::milliseconds timeout) = 0;
};

}  // namespace edgegw::kafka
