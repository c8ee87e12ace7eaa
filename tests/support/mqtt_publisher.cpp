#include "support/mqtt_publisher.hpp"

#include <mqtt/async_client.h>

#include <stdexcept>

namespace edgegw::test {

struct MqttPublisher::Pending {
  mqtt::delivery_token_ptr token;
};

MqttPublisher::MqttPublisher(const std::string& uri, const std::string& client_id, int mqtt_version)
    // Paho counts queued publish commands against max_buffered_messages even while
    // connected; make it larger than the window below.
    : client_(std::make_unique<mqtt::async_client>(uri, client_id,
                                                   mqtt::create_options(mqtt_version, 10000))) {
  mqtt::connect_options_builder builder;
  builder.mqtt_version(mqtt_version);
  if (mqtt_version >= MQTTVERSION_5) {
    builder.clean_start(true);
  } else {
    builder.clean_session(true);
  }
  mqtt::connect_options options =
      builder.max_inflight(1000).connect_timeout(std::chrono::seconds(10)).finalize();
  client_->connect(options)->wait();
}

MqttPublisher::~MqttPublisher() {
  try {
    client_->disconnect()->wait_for(std::chrono::seconds(5));
  } catch (const std::exception&) {
    // the broker may already be gone at the end of a test
  }
}

// Keeps Paho's in-flight window bounded: waits for the oldest when it is full.
void MqttPublisher::wait_for_window() {
  constexpr std::size_t kWindow = 900;
  while (pending_.size() >= kWindow) {
    pending_.front()->token->wait();
    pending_.pop_front();
  }
}

void MqttPublisher::publish(const std::string& topic, const std::string& payload, int qos) {
  wait_for_window();
  auto pending = std::make_shared<Pending>();
  pending->token = client_->publish(topic, payload.data(), payload.size(), qos, false);
  pending_.push_back(std::move(pending));
}

void MqttPublisher::publish(const std::string& topic, const std::string& payload,
                            const MessageProperties& properties, int qos) {
  wait_for_window();
  mqtt::properties props;
  if (!properties.content_type.empty()) {
    props.add({mqtt::property::CONTENT_TYPE, properties.content_type});
  }
  for (const auto& [name, value] : properties.user) {
    props.add({mqtt::property::USER_PROPERTY, name, value});
  }
  auto message = mqtt::make_message(topic, payload, qos, false);
  message->set_properties(std::move(props));
  auto pending = std::make_shared<Pending>();
  pending->token = client_->publish(std::move(message));
  pending_.push_back(std::move(pending));
}

void MqttPublisher::wait_all(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pending_.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !pending_.front()->token->wait_for(left)) {
      throw std::runtime_error("publisher: broker did not acknowledge every message in time");
    }
    pending_.pop_front();
  }
}

}  // namespace edgegw::test
