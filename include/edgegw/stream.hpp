#pragma once
// The streams a gateway forwards. Each has its own Kafka topic; a record in the durable
// log carries its stream so that the forwarder knows where it goes.

#include <cstdint>
#include <optional>
#include <string_view>

namespace edgegw {

enum class Stream : std::uint8_t {
  telemetry = 0,
  aggregates = 1,
  alerts = 2,
  predictions = 3,
  dead_letter = 4,
};

inline constexpr std::size_t kStreamCount = 5;

constexpr std::string_view stream_name(Stream s) {
  switch (s) {
    case Stream::telemetry: return "telemetry";
    case Stream::aggregates: return "aggregates";
    case Stream::alerts: return "alerts";
    case Stream::predictions: return "predictions";
    case Stream::dead_letter: return "dead_letter";
  }
  return "unknown";
}

constexpr std::optional<Stream> stream_from_byte(std::uint8_t b) {
  if (b < kStreamCount) {
    return static_cast<Stream>(b);
  }
  return std::nullopt;
}

}  // namespace edgegw
