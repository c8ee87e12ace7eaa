#pragma once
// MQTT ingest over Paho's async client: a persistent session (clean_session=false, or
// MQTT 5 clean_start=false with an unbounded session expiry), QoS 1 by default,
// automatic reconnect with backoff and re-subscription, TLS and username/password.
//
// Acknowledgement: Paho's C core (1.3.10 and later) sends a QoS 1 PUBACK after
// message_arrived returns, and the handler appends to the durable log inside that
// callback: a message is acknowledged only once it is stored, no queue of
// acknowledged-but-unlogged messages builds up, and a handler that waits (log full,
// policy `block`) stops Paho from reading further messages, so the broker keeps the
// backlog. docs/delivery-guarantees.md states the exact guarantee per QoS.
//
// Threads: Paho's callback thread calls the handler; start()/stop() from the owner.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "edgegw/config.hpp"
#include "ingest/ingest_probe.hpp"

namespace edgegw::ingest {

using MessageHandler = std::function<void(std::string_view topic, std::string_view payload)>;

class MqttIngest {
 public:
  MqttIngest(const MqttConfig& config, std::vector<std::string> filters, MessageHandler handler);
  ~MqttIngest();
  MqttIngest(const MqttIngest&) = delete;
  MqttIngest& operator=(const MqttIngest&) = delete;

  // Connects in the background, retrying with backoff until connected or stopped (the
  // broker may come up after the gateway). Returns at once.
  void start();
  // Disconnects cleanly; messages not yet handed to the handler stay with the broker
  // (persistent session).
  void stop();

  [[nodiscard]] const IngestProbe& probe() const { return probe_; }

 private:
  class Callbacks;

  void connect_loop();

  MqttConfig config_;
  std::vector<std::string> filters_;
  MessageHandler handler_;
  IngestProbe probe_;
  std::unique_ptr<Callbacks> callbacks_;
  std::thread connector_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace edgegw::ingest
