#pragma once
// The forwarder's view of a Kafka producer: produce a message, serve delivery reports,
// flush. The librdkafka implementation lives in gateway/kafka/rdkafka_producer.*; unit
// tests drive the forwarder's delivery logic through a small fake (tests/support).
//
// Threads: one thread calls produce(), poll() and flush(); the events are called on
// that thread, from within poll() and flush().

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace edgegw::kafka {

// What became of a produce or a delivery, in the terms the forwarder acts on.
enum class KafkaErrc {
  ok,
  queue_full,  // the client's queue is full: serve delivery reports, then produce again
  timed_out,   // not delivered within message.timeout.ms: produce it again
  retriable,   // not delivered, for a reason that passes (purged at shutdown, a fatal
               // producer state that a restart clears): it must stay in the log
  rejected,    // can never be delivered (too large, invalid, not authorised)
};

[[nodiscard]] constexpr std::string_view errc_name(KafkaErrc errc) {
  switch (errc) {
    case KafkaErrc::ok:
      return "ok";
    case KafkaErrc::queue_full:
      return "queue_full";
    case KafkaErrc::timed_out:
      return "timed_out";
    case KafkaErrc::retriable:
      return "retriable";
    case KafkaErrc::rejected:
      return "rejected";
  }
  return "unknown";
}

struct KafkaHeader {
  std::string_view name;  // empty: unused
  std::string_view value;
};

// A message as handed to produce(). The producer copies what it keeps; the views need
// only live for the call. The topic and the header names view NUL-terminated strings
// (a std::string or a literal), which the C client takes without a copy.
struct KafkaMessage {
  std::string_view topic;
  std::string_view key;
  std::string_view value;
  std::array<KafkaHeader, 3> headers{};
  std::int64_t timestamp_ms = 0;  // 0: the producer stamps it
  std::uint64_t tag = 0;          // comes back in the delivery report
};

struct ProduceResult {
  KafkaErrc errc = KafkaErrc::ok;
  std::string_view detail;  // the client's own words; static storage

  explicit operator bool() const { return errc == KafkaErrc::ok; }
};

// The outcome of one produced message. `message` views the producer's copy and is valid
// only during the on_delivery call; its headers are left empty (nobody reads them back,
// and copying them out cost a lookup per header per message).
struct DeliveryReport {
  KafkaErrc errc = KafkaErrc::ok;
  std::string_view detail;
  KafkaMessage message;
};

class KafkaProducerEvents {
 public:
  virtual ~KafkaProducerEvents() = default;
  virtual void on_delivery(const DeliveryReport& report) = 0;
  // librdkafka found every broker unreachable; records wait in the log.
  virtual void on_brokers_down() = 0;
};

class KafkaProducer {
 public:
  KafkaProducer() = default;
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;
  virtual ~KafkaProducer() = default;

  virtual ProduceResult produce(const KafkaMessage& message) = 0;
  // Serves delivery reports and client events, waiting up to `timeout` for the first.
  virtual void poll(std::chrono::milliseconds timeout, KafkaProducerEvents& events) = 0;
  // Waits up to `timeout` for every message in flight to be reported; serves the
  // reports. False when some are still in flight.
  virtual bool flush(std::chrono::milliseconds timeout, KafkaProducerEvents& events) = 0;
};

}  // namespace edgegw::kafka
