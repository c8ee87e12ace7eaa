#pragma once
// An MqttSession for unit tests of the ingest's connect and subscribe logic: connect()
// answers as the test scripts it, subscribe() records what it is asked, and the test
// raises the session's events (connected, lost, message) itself. Thread-safe: the
// ingest's connector thread calls connect() while the test thread scripts and inspects.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "edgegw/mqtt_session.hpp"

namespace edgegw::test {

class FakeMqttSession final : public ingest::MqttSession {
 public:
  struct Subscription {
    std::vector<std::string> filters;
    int qos = 0;
  };

  // The next connect() calls fail with these, in order; later ones succeed and raise
  // on_connected(), as Paho does.
  void fail_next_connects(std::vector<ingest::MqttResult> failures);
  // Every subscribe() returns this (ok by default).
  void answer_subscribes_with(ingest::MqttResult result);

  // The session's events, as the client's callback thread would raise them.
  void raise_connected();
  void raise_connection_lost(std::string_view cause);
  void raise_message(std::string_view topic, std::string_view payload);
  void raise_subscription_refused(std::string_view detail);

  [[nodiscard]] std::size_t connect_calls() const;
  [[nodiscard]] std::vector<std::chrono::steady_clock::time_point> connect_times() const;
  [[nodiscard]] std::vector<Subscription> subscriptions() const;
  [[nodiscard]] std::size_t disconnect_calls() const;
  // Waits up to `timeout` until `condition` holds.
  bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

  void bind(ingest::MqttSessionEvents& events) override;
  ingest::MqttResult connect() override;
  ingest::MqttResult subscribe(const std::vector<std::string>& filters, int qos) override;
  void disconnect(std::chrono::milliseconds timeout) override;

 private:
  mutable std::mutex mutex_;
  // Events are raised one at a time, as Paho raises them all on one callback thread.
  std::mutex events_mutex_;
  std::condition_variable changed_;
  ingest::MqttSessionEvents* events_ = nullptr;
  std::deque<ingest::MqttResult> connect_failures_;
  ingest::MqttResult subscribe_answer_;
  std::vector<std::chrono::steady_clock::time_point> connect_times_;
  std::vector<Subscription> subscriptions_;
  std::size_t disconnect_calls_ = 0;
  bool connected_ = false;
};

}  // namespace edgegw::test
