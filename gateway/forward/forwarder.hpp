#pragma once
// The forwarder: tails the durable log and produces each record to its stream's Kafka
// topic, keyed as stored (the device by default; librdkafka's murmur2_random
// partitioner, as Java clients use), with headers naming the gateway and the log offset
// so consumers can drop the duplicates that at-least-once delivery allows after a crash.
// Delivery reports advance the log's cursor over the contiguous acknowledged prefix.
// In-flight records are bounded; the log absorbs the rest during an outage.
//
// Threads: start() spawns the forwarder thread, which is the log's only reader and
// the only caller of rd_kafka_poll (so delivery callbacks run on it). stop() may be
// called from any other thread, once.

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "edgegw/config.hpp"
#include "edgegw/log.hpp"
#include "forward/ack_tracker.hpp"
#include "forward/forwarder_probe.hpp"
#include "forward/log_health_alerts.hpp"
#include "kafka/kafka_handles.hpp"

namespace edgegw::forward {

class Forwarder {
 public:
  // Creates the producer; throws ConfigError when librdkafka rejects the configuration.
  Forwarder(const KafkaConfig& config, std::string gateway_id, store::DurableLog& log);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  void start();
  // Stops reading, waits up to `flush_timeout` for in-flight deliveries, commits the
  // cursor. What is not acknowledged by then stays in the log for the next start.
  void stop(std::chrono::milliseconds flush_timeout);

  [[nodiscard]] const ForwarderProbe& probe() const { return probe_; }

 private:
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void on_log(const rd_kafka_t* rk, int level, const char* facility, const char* buf);

  void run();
  bool forward_batch();
  void produce_record(const store::LogRecord& record);
  void produce_loss(const store::DamageReport& damage);
  void check_log_health();
  void produce_health_alert(const analytics::Alert& alert);
  void produce_gateway_record(Stream stream, const std::string& payload, const char* what);
  void handle_delivery(const rd_kafka_message_t& msg);
  void commit_if_due(bool force);

  KafkaConfig config_;
  std::string gateway_id_;
  store::DurableLog& log_;
  kafka::KafkaHandle producer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  // Forwarder thread only:
  AckTracker tracker_;
  std::uint64_t next_read_ = 0;
  std::uint64_t committed_ = 0;
  std::chrono::steady_clock::time_point last_commit_{};
  LogHealthAlerts health_;
  std::chrono::steady_clock::time_point last_health_check_{};
  ForwarderProbe probe_;
};

}  // namespace edgegw::forward
