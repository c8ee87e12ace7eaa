#pragma once
// The broker's reason codes in words, for the log: MQTT 5's table (Paho's), or MQTT
// 3.1.1's few CONNACK return codes and its SUBACK failure.

#include <string_view>

#include "edgegw/mqtt_session.hpp"

namespace edgegw::ingest {

// "Not authorized", "Session taken over", ...; "unknown reason code" when neither
// protocol defines `code` for that packet.
[[nodiscard]] std::string_view reason_meaning(int mqtt_version, BrokerPacket packet, int code);

}  // namespace edgegw::ingest
