#include "ingest/paho_session.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <mqtt/async_client.h>

#include <algorithm>
#include <mutex>

#include "ingest/reason_codes.hpp"
#include "mqtt_publish/paho_options.hpp"

namespace edgegw::ingest {
namespace {

using mqtt_publish::make_ssl_options;
using mqtt_publish::server_uri;

constexpr std::uint32_t kSessionNeverExpires = 0xFFFFFFFF;
// MQTT 5, section 2.4: reason codes from 0x80 up are failures the broker decided on.
constexpr int kFirstMqtt5FailureReason = 0x80;

// MQTT 5's Maximum Packet Size: the broker sends this client no larger packet (it drops
// such a message for it), so a payload far over mqtt.max_payload is never read into
// memory. The headroom holds the longest topic and the properties, so that a message
// just over the limit still arrives and is dead-lettered as `oversized`.
int maximum_packet_size(const MqttConfig& config) {
  constexpr std::size_t kHeadroom = std::size_t{64} * 1024 + 1024;
  constexpr std::size_t kMqttLargestPacket = 268'435'455;  // the variable length's limit
  return static_cast<int>(std::min(config.max_payload_bytes + kHeadroom, kMqttLargestPacket));
}

std::uint32_t session_expiry_interval(const MqttConfig& config) {
  if (config.session_expiry.count() == 0) {
    return kSessionNeverExpires;
  }
  // The config bounds it below kSessionNeverExpires.
  return static_cast<std::uint32_t>(config.session_expiry.count());
}

// The CONNECT properties of an MQTT 5 session.
mqtt::properties connect_properties(const MqttConfig& config) {
  mqtt::properties properties{{mqtt::property::MAXIMUM_PACKET_SIZE, maximum_packet_size(config)}};
  if (config.persistent_session) {
    properties.add({mqtt::property::SESSION_EXPIRY_INTERVAL,
                    static_cast<int>(session_expiry_interval(config))});
  }
  return properties;
}

// Without the MQTT 5 properties: see PahoSession::Client's constructor.
mqtt::connect_options make_connect_options(const MqttConfig& config) {
  mqtt::connect_options_builder builder;
  builder.mqtt_version(config.mqtt_version);
  if (config.mqtt_version >= 5) {
    builder.clean_start(!config.persistent_session);
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

bool broker_refused(const mqtt::exception& e) {
  const std::string_view what = e.what();
  const bool connack_refusal =
      what.find("CONNACK") != std::string_view::npos && e.get_return_code() > 0;
  return connack_refusal || e.get_reason_code() >= kFirstMqtt5FailureReason;
}

// The code of a CONNACK that refused the connection: MQTT 5's reason code, or 3.1.1's
// return code.
int refusal_code(const mqtt::exception& e) {
  return e.get_reason_code() >= kFirstMqtt5FailureReason ? static_cast<int>(e.get_reason_code())
                                                         : e.get_return_code();
}

std::string_view view(const MQTTLenString& text) {
  return {text.data, static_cast<std::size_t>(text.len)};
}

// Copies what a mapping may read (content type, user properties) out of Paho's C struct,
// into `out`'s reused storage.
void copy_properties(const mqtt::properties& properties, MessageProperties& out) {
  out.clear();
  const MQTTProperties& c = properties.c_struct();
  for (int i = 0; i < c.count; ++i) {
    const MQTTProperty& p = c.array[i];
    if (p.identifier == MQTTPROPERTY_CODE_USER_PROPERTY) {
      out.user.emplace_back(view(p.value.data), view(p.value.value));
    } else if (p.identifier == MQTTPROPERTY_CODE_CONTENT_TYPE) {
      out.content_type = view(p.value.data);
    }
  }
}

}  // namespace

// Reads the broker's answer to a subscribe: a SUBACK code from 0x80 up (MQTT 3.1.1 and
// 5 alike) is a refused filter, which Paho reports as a success of the request.
class SubackListener : public mqtt::iaction_listener {
 public:
  explicit SubackListener(int mqtt_version) : mqtt_version_(mqtt_version) {}

  void expect(MqttSessionEvents* events, std::vector<std::string> filters) {
    const std::lock_guard lock(mutex_);
    events_ = events;
    filters_ = std::move(filters);
  }

  void on_success(const mqtt::token& token) override {
    const std::vector<mqtt::ReasonCode> codes = token.get_subscribe_response().get_reason_codes();
    const std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < codes.size() && i < filters_.size(); ++i) {
      const int code = static_cast<int>(codes[i]);
      events_->on_reason_code(BrokerPacket::suback, code,
                              reason_meaning(mqtt_version_, BrokerPacket::suback, code));
      if (code >= kFirstMqtt5FailureReason) {
        events_->on_subscription_refused(
            fmt::format("the broker refused filter '{}' (SUBACK 0x{:02x}: not authorized or "
                        "not allowed)",
                        filters_[i], static_cast<int>(codes[i])));
      }
    }
  }

  void on_failure(const mqtt::token& token) override {
    const std::lock_guard lock(mutex_);
    events_->on_subscription_refused(fmt::format(
        "the broker refused the subscription to {} (return code {}, reason 0x{:02x}: not "
        "authorized or not allowed)",
        fmt::join(filters_, ", "), token.get_return_code(),
        static_cast<int>(token.get_reason_code())));
  }

 private:
  const int mqtt_version_;
  std::mutex mutex_;
  MqttSessionEvents* events_ = nullptr;
  std::vector<std::string> filters_;
};

// Paho's callback interface and client, kept out of the header so no Paho type leaks.
class PahoSession::Client : public virtual mqtt::callback {
 public:
  Client(const MqttConfig& config, bool read_properties)
      : suback_(config.mqtt_version),
        client_(server_uri(config.broker), config.client_id,
                mqtt::create_options(config.mqtt_version)),
        options_(make_connect_options(config)),
        mqtt_version_(config.mqtt_version),
        read_properties_(read_properties && config.mqtt_version >= 5) {
    // Set on the options kept here, not through the builder: Paho C++ 1.2.0's copy of
    // connect_options keeps pointing at the properties of the object copied from, so the
    // builder's copy would point into the destroyed builder (a crash, or garbage sent in
    // CONNECT). connect() copies these options, whose properties live as long as we do.
    if (config.mqtt_version >= 5) {
      options_.set_properties(connect_properties(config));
    }
    client_.set_callback(*this);
    client_.set_disconnected_handler(
        [this](const mqtt::properties& /*properties*/, mqtt::ReasonCode code) {
          report(BrokerPacket::disconnect, static_cast<int>(code));
        });
  }

  void bind(MqttSessionEvents& events) { events_ = &events; }

  MqttResult connect() {
    try {
      client_.connect(options_)->wait();
      return {};
    } catch (const mqtt::exception& e) {
      if (!broker_refused(e)) {
        return {MqttErrc::failed, mqtt_publish::describe_connect_failure(e)};
      }
      report(BrokerPacket::connack, refusal_code(e));
      return {MqttErrc::refused, mqtt_publish::describe_connect_failure(e)};
    } catch (const std::exception& e) {
      return {MqttErrc::failed, e.what()};
    }
  }

  MqttResult subscribe(const std::vector<std::string>& filters, int qos) {
    try {
      const auto qos_per_filter = std::vector<int>(filters.size(), qos);
      suback_.expect(events_, filters);
      client_.subscribe(mqtt::string_collection::create(filters), qos_per_filter, nullptr, suback_);
      return {};
    } catch (const mqtt::exception& e) {
      return {broker_refused(e) ? MqttErrc::refused : MqttErrc::failed, e.what()};
    } catch (const std::exception& e) {
      return {MqttErrc::failed, e.what()};
    }
  }

  void disconnect(std::chrono::milliseconds timeout) {
    if (client_.is_connected()) {
      client_.disconnect()->wait_for(timeout);
    }
  }

  void connected(const std::string& /*cause*/) override {
    report(BrokerPacket::connack, 0);  // only an accepting CONNACK connects
    events_->on_connected();
  }

  void connection_lost(const std::string& cause) override { events_->on_connection_lost(cause); }

  // The hot path: a message's properties are copied only when a mapping reads them.
  void message_arrived(mqtt::const_message_ptr msg) override {
    if (!read_properties_) {
      events_->on_message(msg->get_topic(), msg->get_payload(), kNoMessageProperties);
      return;
    }
    copy_properties(msg->get_properties(), properties_);
    events_->on_message(msg->get_topic(), msg->get_payload(), properties_);
  }

 private:
  void report(BrokerPacket packet, int code) {
    events_->on_reason_code(packet, code, reason_meaning(mqtt_version_, packet, code));
  }

  SubackListener suback_;  // first, so destroyed last: it outlives the client's tokens
  mqtt_publish::PahoProcessSettings paho_settings_;  // before the client, see there
  mqtt::async_client client_;
  mqtt::connect_options options_;
  const int mqtt_version_;
  const bool read_properties_;
  MessageProperties properties_;  // scratch of the callback thread, reused per message
  MqttSessionEvents* events_ = nullptr;
};

PahoSession::PahoSession(const MqttConfig& config, bool read_properties)
    : client_(std::make_unique<Client>(config, read_properties)) {}

PahoSession::~PahoSession() = default;

void PahoSession::bind(MqttSessionEvents& events) {
  client_->bind(events);
}

MqttResult PahoSession::connect() {
  return client_->connect();
}

MqttResult PahoSession::subscribe(const std::vector<std::string>& filters, int qos) {
  return client_->subscribe(filters, qos);
}

void PahoSession::disconnect(std::chrono::milliseconds timeout) {
  client_->disconnect(timeout);
}

}  // namespace edgegw::ingest
