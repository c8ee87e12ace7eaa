#pragma once
// The MQTT session of the ingest over Paho's async client: a persistent session
// (clean_session=false, or MQTT 5 clean_start=false with mqtt.session_expiry),
// automatic reconnect with backoff, TLS and username/password, all from MqttConfig.
//
// Acknowledgement: Paho's C core (1.3.10 and later) sends a QoS 1 PUBACK after
// message_arrived returns, and on_message is called inside that callback.

#include <memory>

#include "edgegw/config.hpp"
#include "edgegw/mqtt_session.hpp"

namespace edgegw::ingest {

class PahoSession final : public MqttSession {
 public:
  // `read_properties`: hand each message's content type and user properties to the events
  // (MQTT 5 only); otherwise they are not looked at.
  explicit PahoSession(const MqttConfig& config, bool read_properties = false);
  ~PahoSession() override;

  void bind(MqttSessionEvents& events) override;
  MqttResult connect() override;
  MqttResult subscribe(const std::vector<std::string>& filters, int qos) override;
  void disconnect(std::chrono::milliseconds timeout) override;

 private:
  class Client;  // keeps Paho's types out of this header
  std::unique_ptr<Client> client_;
};

}  // namespace edgegw::ingest
