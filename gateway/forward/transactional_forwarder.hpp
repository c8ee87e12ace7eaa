#pragma once
// The exactly-once forwarder (kafka.delivery: exactly_once). It produces the log in
// ranges, one Kafka transaction per range, and commits with each range a cursor record
// (cursor_record.hpp) to the offsets topic, so that Kafka holds the records and the
// position after them atomically, the way Kafka Connect's exactly-once source
// connectors keep their offsets. At start it registers the transactional id (which
// fences an earlier producer with the same id and aborts what it left open) and reads
// the newest committed cursor back; the log's cursor file only trails it. A consumer
// reading with isolation.level=read_committed sees each log record once.
//
// Per range: begin; produce the records (each with an `edgegw-transaction` header) and
// any loss reports and health alerts; wait until every one is delivered; produce the
// cursor record and wait for it too; commit; move the log's cursor. Waiting for the
// range before producing its cursor costs a round trip per transaction; it makes a
// cursor record, wherever it is read, imply that its whole range was written. An
// abortable failure aborts the transaction and sends the same range again; a fatal one
// (fenced) stops forwarding with an error, the log keeps the records.
//
// Threads: as the at-least-once Forwarder (forwarder.hpp): start() spawns the one thread
// that reads the log and uses the producer; stop() joins it.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "edgegw/config.hpp"
#include "edgegw/kafka_producer.hpp"
#include "edgegw/kafka_transactions.hpp"
#include "edgegw/log.hpp"
#include "forward/log_forwarder.hpp"
#include "forward/log_health_alerts.hpp"

namespace edgegw::forward {

class TransactionalForwarder final : public LogForwarder, private kafka::KafkaProducerEvents {
 public:
  // `producer` and `transactions` are one transactional producer's two faces; they,
  // `reader` and `log` must outlive the forwarder.
  TransactionalForwarder(const KafkaConfig& config, std::string gateway_id, store::DurableLog& log,
                         kafka::KafkaProducer& producer, kafka::KafkaTransactions& transactions,
                         kafka::CommittedRecordReader& reader);
  ~TransactionalForwarder() override;

  void start() override;
  void stop(std::chrono::milliseconds flush_timeout) override;
  [[nodiscard]] const ForwarderProbe& probe() const override { return probe_; }

 private:
  // A record of the gateway's own (a loss report, a health alert), sent in a
  // transaction.
  struct GatewayRecord {
    Stream stream;
    std::string payload;
  };
  enum class Step { done, again, stop };

  void on_delivery(const kafka::DeliveryReport& report) override;
  void on_brokers_down() override;

  void run();
  bool recover();
  bool init_transactions();
  bool read_committed_cursor(std::optional<std::uint64_t>& cursor);
  void pace();
  Step forward_range();
  bool produce(const std::string& topic, std::string_view key, std::string_view value,
               std::int64_t timestamp_ms, std::uint64_t offset);
  bool produce_range(const store::ReadBatch& batch);
  bool wait_delivered();
  Step commit(std::uint64_t next_offset);
  void abort(std::string_view why);
  void stop_fatally(const kafka::TxnResult& result, std::string_view during);
  void report_loss(const store::DamageReport& damage);
  void check_log_health();
  [[nodiscard]] std::chrono::milliseconds call_timeout() const;
  void pause(std::chrono::milliseconds duration) const;

  KafkaConfig config_;
  std::string gateway_id_;
  store::DurableLog& log_;
  kafka::KafkaProducer& producer_;
  kafka::KafkaTransactions& transactions_;
  kafka::CommittedRecordReader& reader_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> flush_timeout_ms_{0};
  // Forwarder thread only:
  std::uint64_t next_read_ = 0;
  std::string run_id_;  // tells this run's transactions from earlier runs'
  std::uint64_t transaction_count_ = 0;
  std::string transaction_;  // the open transaction's name, for the header
  bool delivery_failed_ = false;
  std::string delivery_failure_;
  // Health alerts wait here until a transaction with them commits.
  std::vector<GatewayRecord> health_records_;
  store::ReadBatch range_;  // the range of the open transaction, kept for its memory
  // The loss reports of the open transaction's range: made again with the range when
  // it is read again after an abort, so never kept across transactions.
  std::vector<GatewayRecord> range_losses_;
  std::array<std::uint64_t, kStreamCount> range_records_{};  // of the open transaction
  std::chrono::steady_clock::time_point last_begin_{};
  LogHealthAlerts health_;
  std::chrono::steady_clock::time_point last_health_check_{};
  ForwarderProbe probe_;
};

}  // namespace edgegw::forward
