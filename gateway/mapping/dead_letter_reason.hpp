#pragma once
// Why a message, or one reading of it, goes to the dead-letter stream. The names are part
// of the dead-letter record's schema (docs/schemas/dead_letter.schema.json) and of the
// `reason` label on /metrics: add new reasons, never rename one. The reasons that leave
// one reading out (leaves_a_reading_out) stay last: their counters are indexed from the
// first of them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace edgegw::mapping {

enum class DeadLetterReason : std::uint8_t {
  no_mapping,      // no mapping matches the topic
  decode_error,    // the payload is not the mapping's format
  oversized,       // larger than mqtt.max_payload (found before mapping)
  no_readings,     // none of the mapping's sensors is in the payload
  bad_timestamp,   // missing, unreadable, or beyond the mapping's bounds
  bad_sequence,    // the sequence field is not a whole number
  bad_device,      // a device id or tag value too long (mqtt.max_id_length) or unprintable
  no_birth,        // Sparkplug data whose birth certificate was not seen (or an unknown alias)
  unknown_sensor,  // a reading the mapping does not name
  wrong_type,      // a reading that is not a number
  not_finite,      // NaN or infinite
  out_of_range,    // outside the sensor's valid range
};

inline constexpr std::array<std::string_view, 12> kDeadLetterReasonNames = {
    "no_mapping", "decode_error", "oversized",      "no_readings", "bad_timestamp", "bad_sequence",
    "bad_device", "no_birth",     "unknown_sensor", "wrong_type",  "not_finite",    "out_of_range"};

inline constexpr std::size_t kDeadLetterReasonCount = kDeadLetterReasonNames.size();

constexpr std::string_view reason_name(DeadLetterReason reason) {
  return kDeadLetterReasonNames.at(static_cast<std::size_t>(reason));
}

// Whether the problem leaves one reading out of its sample (the rest of the message is
// kept), rather than concerning the whole message.
constexpr bool leaves_a_reading_out(DeadLetterReason reason) {
  return reason >= DeadLetterReason::unknown_sensor;
}

}  // namespace edgegw::mapping
