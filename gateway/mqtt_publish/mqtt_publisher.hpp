#pragma once
// Publishes MQTT messages with the Paho C++ async client and its own at-least-once
// buffer: every message stays here until the broker acknowledges it. Used by the device
// simulator for its telemetry and by the gateway for alerts on a local topic.
//
// Why not Paho's automatic reconnect and offline buffer: with the Paho C library Debian
// ships (1.3.12), a connection that breaks while a publish is being written can leave the
// client sending malformed packets on every later connection, so the broker drops it
// again and again and messages are lost (reported upstream as eclipse-paho/paho.mqtt.c
// #1592). A broken connection therefore gets a fresh client, which re-sends every
// unacknowledged message in the original order: duplicates are possible (QoS 1 allows
// them), losses are not, unless the buffer is full under `drop_oldest`.
//
// Threads: publish(), flush() and stats() from any thread; a reconnect thread of the
// publisher's own; Paho's threads complete deliveries. Paho types stay inside the .cpp.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "edgegw/config.hpp"

namespace edgegw::mqtt_publish {

// What publish() does when max_pending (connected) or max_buffered (disconnected)
// messages await their acknowledgement.
enum class WhenFull {
  block,        // wait (backpressure): a load generator that must not lose a message
  drop_oldest,  // make room, counted in `dropped`: a caller that must never wait
};

struct MqttPublisherConfig {
  std::string broker = "tcp://127.0.0.1:1883";
  std::string client_id = "edgegw-publisher";
  std::string username;
  std::string password;
  TlsConfig tls;
  std::size_t max_pending = 10000;    // accepted but not yet acknowledged, while connected
  std::size_t max_buffered = 100000;  // accepted but not yet acknowledged, while disconnected
  int max_inflight = 1000;            // QoS 1/2 messages on the wire at once
  WhenFull when_full = WhenFull::block;
  // Whether the constructor waits for the first connection (and throws after
  // connect_timeout), or returns at once and connects in the background.
  bool wait_for_connection = true;
  std::chrono::seconds connect_timeout{10};
};

struct MqttPublisherStats {
  std::uint64_t accepted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t resent = 0;   // sent again on a new connection: may arrive twice
  std::uint64_t dropped = 0;  // made room for newer ones (drop_oldest)
  std::uint64_t connection_losses = 0;
  bool connected = false;
};

class MqttPublisher {
 public:
  // With wait_for_connection, throws std::runtime_error naming the broker when it cannot
  // be reached within connect_timeout. `stop` ends waits early (SIGINT/SIGTERM).
  MqttPublisher(const MqttPublisherConfig& config, const std::atomic<bool>& stop);
  ~MqttPublisher();  // disconnects cleanly
  MqttPublisher(const MqttPublisher&) = delete;
  MqttPublisher& operator=(const MqttPublisher&) = delete;

  // Accepts a message for delivery. Under `block` it may wait while the buffer is full
  // and returns false only when `stop` was set meanwhile; under `drop_oldest` it never
  // waits and always returns true.
  bool publish(std::string_view topic, std::string_view payload, int qos, bool retain);
  // Waits until everything accepted is delivered, at most `timeout`. Returns how many
  // messages are still undelivered.
  std::uint64_t flush(std::chrono::milliseconds timeout);
  [[nodiscard]] MqttPublisherStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgegw::mqtt_publish
