#pragma once
// The forwarder: tails the durable log and produces each record to its stream's Kafka
// topic, keyed as stored (the device by default; librdkafka's murmur2_random
// partitioner, as Java clients use), with headers naming the gateway and the log offset
// so consumers can drop the duplicates that at-least-once delivery allows after a crash.
// Delivery reports advance the log's cursor over the contiguous acknowledged prefix.
// In-flight records are bounded; the log absorbs the rest during an outage.
//
// Threads: start() spawns the forwarder thread, which is the log's only reader and the
// producer's only user (so delivery reports are handled on it). stop() may be called
// from any other thread, once; it uses the producer after joining that thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <thread>

#include "edgegw/config.hpp"
#include "edgegw/kafka_producer.hpp"
#include "edgegw/log.hpp"
#include "forward/ack_tracker.hpp"
#include "forward/forwarder_probe.hpp"
#include "forward/log_forwarder.hpp"
#include "forward/log_health_alerts.hpp"

namespace edgegw::forward {

class Forwarder final : public LogForwarder, private kafka::KafkaProducerEvents {
 public:
  // How often the cursor is saved while records flow (each save is a write and, unless
  // buffer.fsync is never, an fsync); a drained backlog is saved at once.
  static constexpr std::chrono::milliseconds kCommitInterval{200};

  // `producer` and `log` must outlive the forwarder.
  Forwarder(const KafkaConfig& config, std::string gateway_id, store::DurableLog& log,
            kafka::KafkaProducer& producer,
            std::chrono::milliseconds commit_interval = kCommitInterval);
  ~Forwarder() override;
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  void start() override;
  // Stops reading, waits up to `flush_timeout` for in-flight deliveries, commits the
  // cursor. What is not acknowledged by then stays in the log for the next start.
  void stop(std::chrono::milliseconds flush_timeout) override;

  [[nodiscard]] const ForwarderProbe& probe() const override { return probe_; }

 private:
  // A message to produce again after a delivery timeout, kept until the producer takes
  // it: its record stays in flight (the cursor waits for it) until then.
  struct Resend {
    std::string topic;
    std::string key;
    std::string value;
    std::int64_t timestamp_ms = 0;
    std::uint64_t tag = 0;
  };

  void on_delivery(const kafka::DeliveryReport& report) override;
  [[nodiscard]] std::size_t stream_index_of(std::string_view topic) const;
  void on_brokers_down() override;

  void run();
  bool forward_batch();
  bool produce_record(const store::LogRecord& record);
  kafka::ProduceResult send(std::string_view topic, std::string_view key, std::string_view value,
                            std::int64_t timestamp_ms, std::uint64_t tag);
  void send_or_keep(Resend resend);
  void send_kept();
  void give_up(std::uint64_t tag, std::string_view topic, std::string_view why);
  void produce_loss(const store::DamageReport& damage);
  void check_log_health();
  void produce_health_alert(const analytics::Alert& alert);
  void produce_gateway_record(Stream stream, const std::string& payload);
  void commit_if_due(bool force);

  KafkaConfig config_;
  std::string gateway_id_;
  store::DurableLog& log_;
  kafka::KafkaProducer& producer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  // Forwarder thread only (and the caller of stop(), once it has joined the thread):
  AckTracker tracker_;
  bool draining_backlog_ = false;  // a read left records in the log: see commit_if_due()
  store::ReadBatch batch_;         // the last read, kept for its memory
  std::deque<Resend> kept_;        // oldest first
  std::uint64_t next_read_ = 0;
  std::uint64_t committed_ = 0;
  std::chrono::milliseconds commit_interval_;
  std::chrono::steady_clock::time_point last_commit_{};
  LogHealthAlerts health_;
  std::chrono::steady_clock::time_point last_health_check_{};
  ForwarderProbe probe_;
};

}  // namespace edgegw::forward
