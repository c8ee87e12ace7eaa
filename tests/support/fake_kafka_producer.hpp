#pragma once
// A KafkaProducer for unit tests of the forwarder's delivery logic: it keeps what it is
// given, answers produce() as the test scripts it, and reports deliveries when the test
// says so (or at once, when auto-acknowledging). Thread-safe: the forwarder's thread
// produces and polls while the test thread scripts and inspects.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "edgegw/kafka_producer.hpp"

namespace edgegw::test {

class FakeKafkaProducer final : public kafka::KafkaProducer {
 public:
  struct Message {
    std::string topic;
    std::string key;
    std::string value;
    std::vector<std::pair<std::string, std::string>> headers;
    std::int64_t timestamp_ms = 0;
    std::uint64_t tag = 0;
  };

  // Every accepted message is reported delivered at the next poll (the default), or
  // held in flight until complete() reports it.
  void auto_acknowledge(bool on);
  // The next `count` produce() calls return `errc`; later ones follow refuse_all().
  void refuse_next(std::size_t count, kafka::KafkaErrc errc);
  // Every produce() returns `errc` (ok: accept again).
  void refuse_all(kafka::KafkaErrc errc);
  // Reports the oldest in-flight message with `errc` at the next poll or flush.
  void complete_oldest(kafka::KafkaErrc errc);
  // What flush() reports for every message still in flight (ok by default).
  void on_flush_report(kafka::KafkaErrc errc);

  [[nodiscard]] std::vector<Message> accepted() const;  // in produce order
  [[nodiscard]] std::size_t in_flight() const;
  [[nodiscard]] std::size_t produce_calls() const;
  // Waits up to `timeout` until `condition` holds; checked on every produce and poll.
  bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

  kafka::ProduceResult produce(const kafka::KafkaMessage& message) override;
  void poll(std::chrono::milliseconds timeout, kafka::KafkaProducerEvents& events) override;
  bool flush(std::chrono::milliseconds timeout, kafka::KafkaProducerEvents& events) override;

 private:
  struct Report {
    Message message;
    kafka::KafkaErrc errc;
  };
  void deliver(std::deque<Report> reports, kafka::KafkaProducerEvents& events);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool auto_acknowledge_ = true;
  std::deque<kafka::KafkaErrc> scripted_;
  kafka::KafkaErrc refusing_ = kafka::KafkaErrc::ok;
  kafka::KafkaErrc flush_report_ = kafka::KafkaErrc::ok;
  std::vector<Message> accepted_;
  std::deque<Message> in_flight_;
  std::deque<Report> reports_;
  std::size_t produce_calls_ = 0;
};

}  // namespace edgegw::test
