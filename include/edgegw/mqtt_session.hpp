#pragma once
// The ingest's view of an MQTT client session: connect, subscribe, disconnect, and the
// events the session raises. The Paho implementation lives in gateway/ingest/
// paho_session.*; unit tests drive the ingest's connect and re-subscribe logic through a
// small fake (tests/support).
//
// After the first successful connect() the session reconnects by itself and raises
// on_connected() after each reconnect: subscriptions are the ingest's business.
//
// Threads: connect(), subscribe() and disconnect() are called from the ingest's own
// threads; events arrive on the client's callback thread.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "edgegw/message_properties.hpp"

namespace edgegw::ingest {

// What became of a connect or subscribe, in the terms the ingest acts on.
enum class MqttErrc {
  ok,
  refused,  // the broker answered and said no (credentials, client id, ACL): retrying
            // alone will not fix it, so the operator must hear about it loudly
  failed,   // no answer, a lost network, a TLS handshake that failed: worth retrying
};

[[nodiscard]] constexpr std::string_view errc_name(MqttErrc errc) {
  switch (errc) {
    case MqttErrc::ok:
      return "ok";
    case MqttErrc::refused:
      return "refused";
    case MqttErrc::failed:
      return "failed";
  }
  return "unknown";
}

// The packets in which the broker gives reason codes (MQTT 5; CONNACK and SUBACK carry
// return codes in 3.1.1 too).
enum class BrokerPacket { connack, suback, disconnect };
inline constexpr int kBrokerPacketCount = 3;

[[nodiscard]] constexpr std::string_view packet_name(BrokerPacket packet) {
  switch (packet) {
    case BrokerPacket::connack:
      return "connack";
    case BrokerPacket::suback:
      return "suback";
    case BrokerPacket::disconnect:
      return "disconnect";
  }
  return "unknown";
}

struct MqttResult {
  MqttErrc errc = MqttErrc::ok;
  std::string detail;  // the client's own words, with what a refusal code means

  explicit operator bool() const { return errc == MqttErrc::ok; }
};

class MqttSessionEvents {
 public:
  virtual ~MqttSessionEvents() = default;
  // Connected, the first time or after a reconnect.
  virtual void on_connected() = 0;
  virtual void on_connection_lost(std::string_view cause) = 0;
  // A message arrived. The session acknowledges it (QoS 1 PUBACK) only after this returns,
  // so a handler that stores the message before returning loses nothing on a crash.
  // `properties` are filled only by a session asked to read them (else empty).
  virtual void on_message(std::string_view topic, std::string_view payload,
                          const MessageProperties& properties) = 0;
  // The broker's SUBACK refused a filter (an ACL, a bad filter) or the subscribe failed:
  // nothing arrives on it until it is asked again.
  virtual void on_subscription_refused(std::string_view detail) = 0;
  // The broker sent reason code `code` (0 to 255) in `packet`: every CONNACK, each
  // filter's code in a SUBACK, and a DISCONNECT of its own (MQTT 5: a session taken over,
  // a packet too large, the server shutting down). `meaning`: the code in words.
  virtual void on_reason_code(BrokerPacket packet, int code, std::string_view meaning) = 0;
};

class MqttSession {
 public:
  virtual ~MqttSession() = default;
  MqttSession() = default;
  MqttSession(const MqttSession&) = delete;
  MqttSession& operator=(const MqttSession&) = delete;

  // Where events go from now on; call once, before connect().
  virtual void bind(MqttSessionEvents& events) = 0;
  // One connection attempt; blocks until it succeeds or fails.
  virtual MqttResult connect() = 0;
  // Requests the subscriptions and returns without waiting for the broker's answer (it
  // may be called from the event thread, which must not block on the broker); a refusal
  // in that answer arrives as on_subscription_refused().
  virtual MqttResult subscribe(const std::vector<std::string>& filters, int qos) = 0;
  // Disconnects cleanly if connected, waiting up to `timeout`.
  virtual void disconnect(std::chrono::milliseconds timeout) = 0;
};

}  // namespace edgegw::ingest
