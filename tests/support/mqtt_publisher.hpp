#pragma once
// A test-side MQTT publisher (Paho async client) that plays the devices: publishes at
// QoS 1 by default and can wait until the broker has acknowledged everything. With
// `mqtt_version` 5 it can attach a content type and user properties.

#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "edgegw/message_properties.hpp"

namespace mqtt {
class async_client;
}

namespace edgegw::test {

class MqttPublisher {
 public:
  explicit MqttPublisher(const std::string& uri,
                         const std::string& client_id = "edgegw-test-devices",
                         int mqtt_version = 4);
  ~MqttPublisher();
  MqttPublisher(const MqttPublisher&) = delete;
  MqttPublisher& operator=(const MqttPublisher&) = delete;

  void publish(const std::string& topic, const std::string& payload, int qos = 1);
  // MQTT 5 only: with the content type (if not empty) and user properties.
  void publish(const std::string& topic, const std::string& payload,
               const MessageProperties& properties, int qos = 1);
  // Throws std::runtime_error when not everything was acknowledged within `timeout`.
  void wait_all(std::chrono::milliseconds timeout = std::chrono::seconds(60));

 private:
  void wait_for_window();

  std::unique_ptr<mqtt::async_client> client_;
  struct Pending;
  std::deque<std::shared_ptr<Pending>> pending_;
};

}  // namespace edgegw::test
