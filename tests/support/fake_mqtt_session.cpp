#include "support/fake_mqtt_session.hpp"

#include <stdexcept>

namespace edgegw::test {

using ingest::MqttResult;

void FakeMqttSession::fail_next_connects(std::vector<MqttResult> failures) {
  const std::lock_guard lock(mutex_);
  connect_failures_.assign(failures.begin(), failures.end());
}

void FakeMqttSession::answer_subscribes_with(MqttResult result) {
  const std::lock_guard lock(mutex_);
  subscribe_answer_ = std::move(result);
}

void FakeMqttSession::raise_connected() {
  ingest::MqttSessionEvents* events = nullptr;
  {
    const std::lock_guard lock(mutex_);
    connected_ = true;
    events = events_;
  }
  const std::lock_guard one_at_a_time(events_mutex_);
  events->on_connected();  // outside mutex_: the ingest calls subscribe() from here
}

void FakeMqttSession::raise_subscription_refused(std::string_view detail) {
  ingest::MqttSessionEvents* events = nullptr;
  {
    const std::lock_guard lock(mutex_);
    events = events_;
  }
  const std::lock_guard one_at_a_time(events_mutex_);
  events->on_subscription_refused(detail);
}

void FakeMqttSession::raise_connection_lost(std::string_view cause) {
  ingest::MqttSessionEvents* events = nullptr;
  {
    const std::lock_guard lock(mutex_);
    connected_ = false;
    events = events_;
  }
  const std::lock_guard one_at_a_time(events_mutex_);
  events->on_connection_lost(cause);
}

void FakeMqttSession::raise_message(std::string_view topic, std::string_view payload) {
  ingest::MqttSessionEvents* events = nullptr;
  {
    const std::lock_guard lock(mutex_);
    events = events_;
  }
  const std::lock_guard one_at_a_time(events_mutex_);
  events->on_message(topic, payload, edgegw::kNoMessageProperties);
}

std::size_t FakeMqttSession::connect_calls() const {
  const std::lock_guard lock(mutex_);
  return connect_times_.size();
}

std::vector<std::chrono::steady_clock::time_point> FakeMqttSession::connect_times() const {
  const std::lock_guard lock(mutex_);
  return connect_times_;
}

std::vector<FakeMqttSession::Subscription> FakeMqttSession::subscriptions() const {
  const std::lock_guard lock(mutex_);
  return subscriptions_;
}

std::size_t FakeMqttSession::disconnect_calls() const {
  const std::lock_guard lock(mutex_);
  return disconnect_calls_;
}

bool FakeMqttSession::wait_until(const std::function<bool()>& condition,
                                 std::chrono::milliseconds timeout) {
  // Also polls: some conditions (the ingest's counters) change after the last call into
  // the fake returned.
  constexpr auto kPoll = std::chrono::milliseconds(5);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kPoll);
  }
  return true;
}

void FakeMqttSession::bind(ingest::MqttSessionEvents& events) {
  const std::lock_guard lock(mutex_);
  if (events_ != nullptr) {
    throw std::logic_error("FakeMqttSession: bind() called twice");
  }
  events_ = &events;
}

MqttResult FakeMqttSession::connect() {
  {
    const std::lock_guard lock(mutex_);
    connect_times_.push_back(std::chrono::steady_clock::now());
    changed_.notify_all();
    if (!connect_failures_.empty()) {
      MqttResult failure = std::move(connect_failures_.front());
      connect_failures_.pop_front();
      return failure;
    }
  }
  raise_connected();  // as Paho does after every successful connect
  return {};
}

MqttResult FakeMqttSession::subscribe(const std::vector<std::string>& filters, int qos) {
  const std::lock_guard lock(mutex_);
  subscriptions_.push_back({filters, qos});
  changed_.notify_all();
  return subscribe_answer_;
}

void FakeMqttSession::disconnect(std::chrono::milliseconds /*timeout*/) {
  const std::lock_guard lock(mutex_);
  if (connected_) {
    ++disconnect_calls_;
    connected_ = false;
  }
  changed_.notify_all();
}

}  // namespace edgegw::test
