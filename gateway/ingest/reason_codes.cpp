#include "ingest/reason_codes.hpp"

// Through MQTTAsync.h, which declares the C library's functions extern "C".
#include <MQTTAsync.h>

#include <array>

namespace edgegw::ingest {
namespace {

constexpr std::string_view kUnknown = "unknown reason code";

// MQTT 3.1.1, section 3.2.2.3: the CONNACK return codes.
std::string_view mqtt311_connack(int code) {
  static constexpr std::array<std::string_view, 6> kCodes = {
      "Connection accepted", "Unacceptable protocol version", "Identifier rejected",
      "Server unavailable",  "Bad user name or password",     "Not authorized"};
  return code >= 0 && code < static_cast<int>(kCodes.size()) ? kCodes.at(code) : kUnknown;
}

// MQTT 3.1.1, section 3.9.3: a SUBACK grants a QoS or fails.
std::string_view mqtt311_suback(int code) {
  constexpr int kFailure = 0x80;
  if (code == kFailure) {
    return "Failure";
  }
  return code >= 0 && code <= 2 ? "Granted QoS" : kUnknown;
}

}  // namespace

std::string_view reason_meaning(int mqtt_version, BrokerPacket packet, int code) {
  constexpr int kMqtt5 = 5;
  if (mqtt_version >= kMqtt5) {
    const char* text = MQTTReasonCode_toString(static_cast<MQTTReasonCodes>(code));
    return text != nullptr ? std::string_view(text) : kUnknown;
  }
  switch (packet) {
    case BrokerPacket::connack:
      return mqtt311_connack(code);
    case BrokerPacket::suback:
      return mqtt311_suback(code);
    case BrokerPacket::disconnect:
      break;  // MQTT 3.1.1 brokers send no DISCONNECT
  }
  return kUnknown;
}

}  // namespace edgegw::ingest
