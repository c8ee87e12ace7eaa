#pragma once
// The KafkaProducer on librdkafka, configured with the properties the gateway's delivery
// guarantees rest on: idempotence (no reordering or duplicates on retries), no message
// timeout (the log bounds what is in flight, so a message waits out an outage of any
// length) and the murmur2_random partitioner (the partition Java clients pick for a key).
// With kafka.delivery: exactly_once it is also transactional (transactional.id), and a
// message then times out with its transaction (message.timeout.ms, which librdkafka
// requires to be at most transaction.timeout.ms).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgegw/config.hpp"
#include "edgegw/kafka_producer.hpp"
#include "edgegw/kafka_transactions.hpp"
#include "kafka/kafka_handles.hpp"

namespace edgegw::kafka {

class RdKafkaProducer final : public KafkaProducer, public KafkaTransactions {
 public:
  // Throws ConfigError when librdkafka rejects the configuration.
  RdKafkaProducer(const KafkaConfig& config, const std::string& gateway_id);

  ProduceResult produce(const KafkaMessage& message) override;
  void poll(std::chrono::milliseconds timeout, KafkaProducerEvents& events) override;
  bool flush(std::chrono::milliseconds timeout, KafkaProducerEvents& events) override;

  // Only for a producer configured for exactly_once. They serve no delivery reports:
  // the caller flushes first.
  TxnResult init(std::chrono::milliseconds timeout) override;
  TxnResult begin() override;
  TxnResult commit(std::chrono::milliseconds timeout) override;
  TxnResult abort(std::chrono::milliseconds timeout) override;

 private:
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void on_log(const rd_kafka_t* rk, int level, const char* facility, const char* buf);

  void learn_topics(std::chrono::milliseconds timeout);
  rd_kafka_topic_t* topic_handle(std::string_view name);

  KafkaHandle handle_;
  // Declared after handle_: destroyed before it, as librdkafka requires. Producing and
  // init() happen on the forwarder's thread only, so the list needs no lock.
  std::vector<std::pair<std::string, TopicHandle>> topic_handles_;
  // exactly_once: every topic a transaction may write to (learn_topics()).
  std::vector<std::string> topics_;
  // Set for the duration of poll() and flush(), the only calls that serve callbacks.
  KafkaProducerEvents* events_ = nullptr;
};

}  // namespace edgegw::kafka
