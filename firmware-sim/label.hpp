#pragma once
// Ground truth the simulator knows and a downstream checker needs: anomaly windows, bad
// payloads, failures and repairs, remaining useful life over time, and a per-device
// summary at the end. One JSON object per line in the labels file; the fields per type
// are documented in docs/firmware-sim.md.

#include <cstdint>
#include <string>

namespace edgegw::sim {

enum class LabelType : std::uint8_t { anomaly, bad_payload, failure, rul, device_summary };

struct Label {
  LabelType type = LabelType::anomaly;
  std::string device;
  std::string sensor;         // anomaly, bad_payload ("" when the whole device/message)
  std::string kind;           // anomaly kind, bad payload kind, failure mode
  std::int64_t start_ms = 0;  // anomaly: first affected tick; others: event time
  std::int64_t end_ms = 0;    // anomaly: last affected tick; failure: end of repair
  std::uint64_t seq = 0;      // bad_payload: its message; rul: the tick; summary: last seq
  double value = 0.0;         // anomaly: magnitude (sensor units) or stuck value
  double wear = 0.0;          // rul
  std::int64_t rul_ms = 0;    // rul
  std::int64_t count = 0;     // summary: messages published; failure/rul: life number
  std::string topic;          // bad_payload
};

std::string to_json_line(const Label& label);

}  // namespace edgegw::sim
