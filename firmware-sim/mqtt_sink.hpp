#pragma once
// Publishes generated messages to an MQTT broker: the shared MqttPublisher (its own
// at-least-once buffer, a fresh client per broken connection) with backpressure, so that
// publish() blocks while too many messages await their acknowledgement and memory stays
// bounded. Duplicates after a reconnect are possible; the per-device sequence number
// tells them apart.

#include <atomic>

#include "message_sink.hpp"
#include "mqtt_publish/mqtt_publisher.hpp"

namespace edgegw::sim {

using MqttSinkConfig = mqtt_publish::MqttPublisherConfig;
using MqttSinkStats = mqtt_publish::MqttPublisherStats;

class MqttSink final : public MessageSink {
 public:
  // Connects before returning. Throws std::runtime_error naming the broker when it cannot
  // be reached within connect_timeout. `stop` ends waits early (SIGINT/SIGTERM).
  MqttSink(MqttSinkConfig config, const std::atomic<bool>& stop)
      : publisher_(blocking(std::move(config)), stop) {}

  bool publish(const Message& m) override {
    return publisher_.publish(m.topic, m.payload, m.qos, false);
  }
  std::uint64_t flush(std::chrono::milliseconds timeout) override {
    return publisher_.flush(timeout);
  }
  [[nodiscard]] std::uint64_t resent() const override { return publisher_.stats().resent; }
  [[nodiscard]] MqttSinkStats stats() const { return publisher_.stats(); }

 private:
  static MqttSinkConfig blocking(MqttSinkConfig c) {
    c.when_full = mqtt_publish::WhenFull::block;  // a load generator never drops
    c.wait_for_connection = true;
    return c;
  }

  mqtt_publish::MqttPublisher publisher_;
};

}  // namespace edgegw::sim
