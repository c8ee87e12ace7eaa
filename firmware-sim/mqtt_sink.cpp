#include "mqtt_sink.hpp"

#include <spdlog/spdlog.h>

#include <mqtt/async_client.h>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace edgegw::sim {
namespace {

constexpr auto kWaitSlice = std::chrono::milliseconds(100);

}  // namespace

// Completes deliveries on Paho's thread; everything else runs on the runner's thread.
struct MqttSink::Impl final : public mqtt::iaction_listener {
  Impl(const MqttSinkConfig& c, const std::atomic<bool>& stop_flag)
      : config(c),
        stop(stop_flag),
        client(c.broker, c.client_id,
               mqtt::create_options_builder()
                   .send_while_disconnected(true, true)
                   .max_buffered_messages(c.max_buffered)
                   .finalize(),
               nullptr) {}

  void on_success(const mqtt::token& /*tok*/) override {
    {
      const std::lock_guard lock(mu);
      --pending;
      ++stats.delivered;
    }
    cv.notify_all();
  }

  void on_failure(const mqtt::token& tok) override {
    std::uint64_t failed = 0;
    {
      const std::lock_guard lock(mu);
      --pending;
      failed = ++stats.failed;
    }
    cv.notify_all();
    if (failed <= 10 || failed % 1000 == 0) {
      spdlog::warn("Delivery failed; the message is lost. failed={} rc={}", failed,
                   tok.get_return_code());
    }
  }

  MqttSinkConfig config;
  const std::atomic<bool>& stop;
  mqtt::async_client client;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::size_t pending = 0;
  MqttSinkStats stats;
};

MqttSink::MqttSink(const MqttSinkConfig& config, const std::atomic<bool>& stop)
    : impl_(std::make_unique<Impl>(config, stop)) {
  Impl& im = *impl_;
  im.client.set_connection_lost_handler([&im](const std::string& cause) {
    {
      const std::lock_guard lock(im.mu);
      ++im.stats.connection_losses;
    }
    spdlog::warn(
        "Lost the MQTT broker; reconnecting and buffering up to {} messages. "
        "broker={} cause='{}'",
        im.config.max_buffered, im.config.broker, cause);
  });
  im.client.set_connected_handler([&im](const std::string& /*cause*/) {
    spdlog::info("Connected to the MQTT broker. broker={}", im.config.broker);
  });

  auto builder = mqtt::connect_options_builder()
                     .clean_session(false)  // keep in-flight QoS 1/2 across reconnects
                     .automatic_reconnect(std::chrono::milliseconds(250), std::chrono::seconds(5))
                     .connect_timeout(std::chrono::seconds(5))
                     .keep_alive_interval(std::chrono::seconds(20))
                     .max_inflight(config.max_inflight);
  if (!config.username.empty()) {
    builder.user_name(config.username).password(config.password);
  }
  const mqtt::connect_options options = builder.finalize();

  const auto deadline = std::chrono::steady_clock::now() + config.connect_timeout;
  std::string last_error;
  while (!stop.load()) {
    try {
      im.client.connect(options)->wait();
      return;
    } catch (const mqtt::exception& e) {
      last_error = e.what();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  throw std::runtime_error("cannot connect to the MQTT broker at " + config.broker +
                           " (tried for " + std::to_string(config.connect_timeout.count()) +
                           " s): " + last_error + ". Is the broker running and listening there?");
}

MqttSink::~MqttSink() {
  try {
    if (impl_->client.is_connected()) {
      impl_->client.disconnect(std::chrono::milliseconds(2000))->wait_for(std::chrono::seconds(5));
    }
  } catch (const std::exception& e) {
    spdlog::warn("Disconnect from the MQTT broker failed. error='{}'", e.what());
  }
}

bool MqttSink::publish(const Message& m) {
  Impl& im = *impl_;
  {
    std::unique_lock lock(im.mu);
    while (im.pending >= im.config.max_pending) {
      if (im.stop.load()) {
        return false;
      }
      im.cv.wait_for(lock, kWaitSlice);
    }
    ++im.pending;
    ++im.stats.accepted;
  }
  auto msg = mqtt::make_message(m.topic, m.payload, m.qos, false);
  for (;;) {
    try {
      im.client.publish(msg, nullptr, im);
      return true;
    } catch (const mqtt::exception& e) {
      // The offline buffer is full: wait for the broker rather than drop the message.
      if (e.get_return_code() != MQTTASYNC_MAX_BUFFERED_MESSAGES || im.stop.load()) {
        const std::lock_guard lock(im.mu);
        --im.pending;
        --im.stats.accepted;
        spdlog::error("Publish failed. topic={} error='{}'", m.topic, e.what());
        return false;
      }
      std::this_thread::sleep_for(kWaitSlice);
    }
  }
}

std::uint64_t MqttSink::flush(std::chrono::milliseconds timeout) {
  Impl& im = *impl_;
  std::unique_lock lock(im.mu);
  im.cv.wait_for(lock, timeout, [&im] { return im.pending == 0; });
  return im.pending;
}

MqttSinkStats MqttSink::stats() const {
  const std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

}  // namespace edgegw::sim
