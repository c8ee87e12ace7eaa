#include "ingest/mqtt_ingest.hpp"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "mqtt_publish/paho_options.hpp"

namespace edgegw::ingest {
namespace {

using mqtt_publish::make_ssl_options;
using mqtt_publish::server_uri;

constexpr std::uint32_t kSessionNeverExpires = 0xFFFFFFFF;

mqtt::connect_options make_connect_options(const MqttConfig& config) {
  mqtt::connect_options_builder builder;
  builder.mqtt_version(config.mqtt_version);
  if (config.mqtt_version >= 5) {
    builder.clean_start(!config.persistent_session);
    if (config.persistent_session) {
      builder.properties(
          {{mqtt::property::SESSION_EXPIRY_INTERVAL, static_cast<int>(kSessionNeverExpires)}});
    }
  } else {
    builder.clean_session(!config.persistent_session);
  }
  // Paho counts reconnect intervals in whole seconds.
  const auto min_retry =
      std::max(std::chrono::seconds(1),
               std::chrono::duration_cast<std::chrono::seconds>(config.reconnect_min));
  const auto max_retry =
      std::max(min_retry, std::chrono::duration_cast<std::chrono::seconds>(config.reconnect_max));
  builder.automatic_reconnect(min_retry, max_retry);
  builder.keep_alive_interval(config.keep_alive);
  builder.connect_timeout(config.connect_timeout);
  if (!config.username.empty()) {
    builder.user_name(config.username);
    builder.password(config.password);
  }
  if (config.tls.enabled) {
    builder.ssl(make_ssl_options(config.tls));
  }
  return builder.finalize();
}

}  // namespace

// Paho's callback interface, kept out of the header so no Paho type leaks.
class MqttIngest::Callbacks : public virtual mqtt::callback {
 public:
  explicit Callbacks(MqttIngest& owner)
      : owner_(owner),
        client_(server_uri(owner.config_.broker), owner.config_.client_id,
                mqtt::create_options(owner.config_.mqtt_version)),
        options_(make_connect_options(owner.config_)) {
    client_.set_callback(*this);
  }

  mqtt::async_client& client() { return client_; }
  const mqtt::connect_options& options() const { return options_; }

  void connected(const std::string& /*cause*/) override {
    try {
      ++owner_.probe_.connects;
      owner_.probe_.connected = true;
      // With a persistent session the broker remembers the subscriptions, but the config
      // may have changed since: subscribing again is cheap and idempotent.
      const auto qos = std::vector<int>(owner_.filters_.size(), owner_.config_.qos);
      client_.subscribe(mqtt::string_collection::create(owner_.filters_), qos);
      spdlog::info("Connected to the MQTT broker and subscribed. broker={} filters={} qos={}",
                   owner_.config_.broker, owner_.filters_.size(), owner_.config_.qos);
    } catch (const std::exception& e) {
      ++owner_.probe_.callback_errors;
      spdlog::error("Subscribing failed; will retry on reconnect. error={}", e.what());
    }
  }

  void connection_lost(const std::string& cause) override {
    ++owner_.probe_.connection_losses;
    owner_.probe_.connected = false;
    spdlog::warn("Lost the MQTT connection; reconnecting with backoff. broker={} cause={}",
                 owner_.config_.broker, cause.empty() ? "unknown" : cause);
  }

  void message_arrived(mqtt::const_message_ptr msg) override {
    try {
      ++owner_.probe_.messages;
      const std::string& payload = msg->get_payload();
      owner_.probe_.bytes += payload.size();
      owner_.handler_(msg->get_topic(), payload);
    } catch (const std::exception& e) {
      ++owner_.probe_.callback_errors;
      spdlog::error("Message handling failed. topic={} error={}", msg->get_topic(), e.what());
    }
  }

 private:
  MqttIngest& owner_;
  mqtt::async_client client_;
  mqtt::connect_options options_;
};

MqttIngest::MqttIngest(const MqttConfig& config, std::vector<std::string> filters,
                       MessageHandler handler)
    : config_(config), filters_(std::move(filters)), handler_(std::move(handler)) {
  callbacks_ = std::make_unique<Callbacks>(*this);
}

MqttIngest::~MqttIngest() {
  stop();
}

void MqttIngest::start() {
  connector_ = std::thread([this] { connect_loop(); });
}

void MqttIngest::connect_loop() {
  auto backoff = std::max(config_.reconnect_min, std::chrono::milliseconds(100));
  while (true) {
    std::string error;
    try {
      callbacks_->client().connect(callbacks_->options())->wait();
      return;  // from here on Paho's automatic reconnect takes over
    } catch (const mqtt::exception& e) {
      error = mqtt_publish::describe_connect_failure(e);
    } catch (const std::exception& e) {
      error = e.what();
    }
    ++probe_.connect_failures;
    spdlog::warn("Cannot connect to the MQTT broker; retrying. broker={} retry_in={}ms error={}",
                 config_.broker, backoff.count(), error);
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, backoff, [this] { return stopping_; })) {
      return;
    }
    backoff = std::min(backoff * 2, config_.reconnect_max);
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
    if (callbacks_->client().is_connected()) {
      callbacks_->client().disconnect()->wait_for(std::chrono::seconds(5));
    }
  } catch (const std::exception& e) {
    spdlog::warn("MQTT disconnect did not complete cleanly. error={}", e.what());
  }
  probe_.connected = false;
}

}  // namespace edgegw::ingest
