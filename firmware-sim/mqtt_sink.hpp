#pragma once
// Publishes generated messages to an MQTT broker with the Paho C++ async client: one
// connection for the whole fleet, automatic reconnect, offline buffering while the
// broker is away, and backpressure (publish() blocks while too many messages await their
// acknowledgement), so that memory stays bounded and nothing is dropped by the simulator.
//
// Threads: publish() and flush() from the runner's thread; Paho's own thread completes
// deliveries. Paho types stay inside the .cpp.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "message_sink.hpp"

namespace edgegw::sim {

struct MqttSinkConfig {
  std::string broker = "tcp://127.0.0.1:1883";
  std::string client_id = "edgegw-sim";
  std::string username;
  std::string password;
  std::size_t max_pending = 10000;           // accepted but not yet acknowledged by the broker
  int max_buffered = 100000;                 // Paho's buffer while disconnected
  int max_inflight = 1000;                   // QoS 1/2 messages on the wire at once
  std::chrono::seconds connect_timeout{10};  // give up on the first connection after this
};

struct MqttSinkStats {
  std::uint64_t accepted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;  // Paho reported a failed delivery: these are lost
  std::uint64_t connection_losses = 0;
};

class MqttSink final : public MessageSink {
 public:
  // Connects before returning. Throws std::runtime_error naming the broker when it cannot
  // be reached within connect_timeout. `stop` ends waits early (SIGINT/SIGTERM).
  MqttSink(const MqttSinkConfig& config, const std::atomic<bool>& stop);
  ~MqttSink() override;  // disconnects cleanly

  bool publish(const Message& m) override;
  std::uint64_t flush(std::chrono::milliseconds timeout) override;
  [[nodiscard]] MqttSinkStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgegw::sim
