#pragma once
// Publishes generated messages to an MQTT broker with the Paho C++ async client: one
// connection for the whole fleet, backpressure (publish() blocks while too many messages
// await their acknowledgement, so memory stays bounded), and its own at-least-once
// buffer: every message stays in the sink until the broker acknowledges it.
//
// Why not Paho's automatic reconnect and offline buffer: with the Paho C library Debian
// ships (1.3.12), a connection that breaks while a publish is being written can leave the
// client sending malformed packets on every later connection, so the broker drops it
// again and again and messages are lost (reported upstream as eclipse-paho/paho.mqtt.c
// #1592). A broken connection therefore gets a fresh client, which re-sends every
// unacknowledged message in the original order: duplicates are possible (QoS 1 allows
// them; the per-device sequence number tells them apart), losses are not.
//
// Threads: publish() and flush() from the runner's thread; a reconnect thread of the
// sink's own; Paho's threads complete deliveries. Paho types stay inside the .cpp.

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
  std::size_t max_pending = 10000;    // accepted but not yet acknowledged, while connected
  std::size_t max_buffered = 100000;  // accepted but not yet acknowledged, while disconnected
  int max_inflight = 1000;            // QoS 1/2 messages on the wire at once
  std::chrono::seconds connect_timeout{10};  // give up on the first connection after this
};

struct MqttSinkStats {
  std::uint64_t accepted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t resent = 0;  // sent again on a new connection: may arrive twice
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
