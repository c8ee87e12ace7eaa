#include "ingest/mqtt_ingest.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "edgegw/text.hpp"

namespace edgegw::ingest {
namespace {

constexpr std::chrono::seconds kDisconnectTimeout{5};

}  // namespace

ConnectBackoff::ConnectBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : current_(std::max(min, kFloor)), max_(std::max(max, std::max(min, kFloor))) {}

std::chrono::milliseconds ConnectBackoff::next() {
  const auto wait = current_;
  current_ = std::min(current_ * 2, max_);
  return wait;
}

MqttIngest::MqttIngest(const MqttConfig& config, std::vector<std::string> filters,
                       std::unique_ptr<MqttSession> session, MessageHandler handler)
    : config_(config),
      filters_(std::move(filters)),
      handler_(std::move(handler)),
      session_(std::move(session)) {
  session_->bind(*this);
}

MqttIngest::~MqttIngest() {
  stop();
}

void MqttIngest::start() {
  connector_ = std::thread([this] { connect_loop(); });
}

void MqttIngest::connect_loop() {
  if (connect_with_backoff()) {
    resubscribe_loop();
  }
}

// False when stopped before the first connection.
bool MqttIngest::connect_with_backoff() {
  ConnectBackoff backoff(config_.reconnect_min, config_.reconnect_max);
  while (true) {
    const MqttResult result = session_->connect();
    if (result) {
      return true;  // from here on the session reconnects by itself
    }
    ++probe_.connect_failures;
    const auto wait = backoff.next();
    // A refusal will not pass by itself: say so at error level, but keep trying, since
    // the operator may fix the broker's side without restarting the gateway.
    spdlog::log(result.errc == MqttErrc::refused ? spdlog::level::err : spdlog::level::warn,
                "Cannot connect to the MQTT broker; retrying. broker={} retry_in={}ms error={}",
                config_.broker, wait.count(), result.detail);
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, wait, [this] { return stopping_; })) {
      return false;
    }
  }
}

// A refused subscription (an ACL) is asked again with backoff, from this thread (the
// event thread must not wait): the operator may fix the broker's side without a restart.
void MqttIngest::resubscribe_loop() {
  ConnectBackoff backoff(config_.reconnect_min, config_.reconnect_max);
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || resubscribe_wanted_; });
    if (stopping_) {
      return;
    }
    resubscribe_wanted_ = false;
    if (wake_.wait_for(lock, backoff.next(), [this] { return stopping_; })) {
      return;
    }
    lock.unlock();
    subscribe();
    lock.lock();
  }
}

void MqttIngest::on_connected() {
  ++probe_.connects;
  probe_.connected = true;
  // With a persistent session the broker remembers the subscriptions, but the config
  // may have changed since: subscribing again is cheap and idempotent.
  subscribe();
}

void MqttIngest::subscribe() {
  const MqttResult result = session_->subscribe(filters_, config_.qos);
  if (!result) {
    ++probe_.callback_errors;
    spdlog::error("Subscribing failed; asking again with backoff. broker={} error={}",
                  config_.broker, result.detail);
    subscribe_again();
    return;
  }
  probe_.subscribed = true;
  spdlog::info("Connected to the MQTT broker and subscribed. broker={} filters={} qos={}",
               config_.broker, filters_.size(), config_.qos);
}

void MqttIngest::on_subscription_refused(std::string_view detail) {
  ++probe_.subscriptions_refused;
  probe_.subscribed = false;
  spdlog::error(
      "The MQTT broker refused a subscription; asking again with backoff (check the "
      "broker's ACL for this client). broker={} error={}",
      config_.broker, detail);
  subscribe_again();
}

void MqttIngest::subscribe_again() {
  {
    const std::lock_guard lock(mutex_);
    resubscribe_wanted_ = true;
  }
  wake_.notify_all();
}

void MqttIngest::on_reason_code(BrokerPacket packet, int code, std::string_view meaning) {
  probe_.count_reason_code(packet, code);
  // Refused connects and subscriptions are logged where they are handled; a DISCONNECT
  // from the broker says why the connection is about to go (MQTT 5).
  if (packet == BrokerPacket::disconnect) {
    spdlog::warn("The MQTT broker disconnected the gateway. broker={} reason=0x{:02x} ({})",
                 config_.broker, code, meaning);
  }
}

void MqttIngest::on_connection_lost(std::string_view cause) {
  ++probe_.connection_losses;
  probe_.connected = false;
  probe_.subscribed = false;
  spdlog::warn("Lost the MQTT connection; reconnecting with backoff. broker={} cause={}",
               config_.broker, cause.empty() ? "unknown" : cause);
}

void MqttIngest::on_message(std::string_view topic, std::string_view payload,
                            const MessageProperties& properties) {
  ++probe_.messages;
  probe_.bytes += payload.size();
  try {
    handler_(topic, payload, properties);
  } catch (const std::exception& e) {
    // The message is acknowledged all the same (the session cannot refuse it). The
    // handler stores what it cannot map as a dead letter and reports its own storage
    // failures, so reaching this is a defect.
    ++probe_.callback_errors;
    if (const auto held_back = handler_error_log_.admit()) {
      spdlog::error("Message handling failed. topic={} error={} similar_lines_held_back={}",
                    printable(topic), e.what(), *held_back);
    }
  }
}

void MqttIngest::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  wake_.notify_all();
  if (connector_.joinable()) {
    connector_.join();
  }
  try {
    session_->disconnect(kDisconnectTimeout);
  } catch (const std::exception& e) {
    spdlog::warn("MQTT disconnect did not complete cleanly. error={}", e.what());
  }
  probe_.connected = false;
}

}  // namespace edgegw::ingest
