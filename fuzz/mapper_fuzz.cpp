// The mapper over every payload format it reads. The first byte picks a mapping (and so
// the format and topic); the rest is the payload. Mappings of the last choice take their
// topic from the input too: the bytes up to the first newline.

#include <string>
#include <string_view>
#include <vector>

#include "config/config_node.hpp"
#include "config/sections.hpp"
#include "fuzz_target.hpp"
#include "mapping/mapper.hpp"

namespace {

// Like config/gateway.example.yaml, with every timestamp format, both CSV delimiters,
// numbers sent as text, and short id limits to exercise.
const char* const kMappings = R"(
- name: pumps
  topic: "factory/{site}/pump/{device}/telemetry"
  format: json
  tags: [site]
  sequence: seq
  timestamp: { field: ts, format: milliseconds }
  sensors:
    - { name: flow, field: metrics.flow.value, unit: m3/h, min: 0, max: 150 }
    - { name: pressure, field: metrics.pressure, unit: bar, scale: 0.001 }
    - { name: bearing, field: "bearings[1].temp", unit: degC }
- name: motors
  topic: "factory/{site}/motor/{device}/telemetry"
  format: csv
  columns: [seq, ts, current, speed, state]
  sequence: seq
  timestamp: { column: ts, format: seconds }
  sensors:
    - { name: current, column: current, unit: A, min: 0, max: 120 }
    - { name: speed, column: speed, unit: rpm, offset: 10 }
- name: compressor-seq
  topic: "factory/{site}/compressor/{device}/seq"
  format: number
  sequence: payload
- name: compressors
  topic: "factory/{site}/compressor/{device}/{sensor}"
  format: number
  sensor_capture: sensor
  sensors:
    - { name: oil_temp, unit: degC, min: -40, max: 150 }
- name: iso
  topic: "iso/{device}"
  format: json
  numeric_strings: true
  timestamp: { field: time, format: iso8601 }
  on_bad_timestamp: arrival_time
  sensors:
    - { name: level, unit: "%" }
    - { name: deep, field: "a.b[0][2].c" }
- name: semicolons
  topic: "csv/{device}/#"
  format: csv
  delimiter: ";"
  columns: [time, value]
  timestamp: { column: time, format: iso8601 }
  sensors:
    - { name: value }
- name: anything
  topic: "+/{device}/#"
  format: number
  sensor_capture: device
  accept_unlisted_sensors: true
)";

const char* const kTopics[] = {
    "factory/north/pump/pump-001/telemetry",
    "factory/north/motor/motor-001/telemetry",
    "factory/north/compressor/comp-001/seq",
    "factory/north/compressor/comp-001/oil_temp",
    "iso/tank-7",
    "csv/line-2/a/b",
};
constexpr std::size_t kFixedTopics = sizeof(kTopics) / sizeof(kTopics[0]);

// An arrival time near the seeds' timestamps, so that the bounds pass as well as fail.
constexpr std::int64_t kArrivalMs = 1'700'000'000'000;

edgegw::mapping::Mapper& mapper() {
  static const std::vector<edgegw::MappingConfig> configs = edgegw::config::parse_mappings_section(
      edgegw::config::ConfigNode::load_string(kMappings, "fuzz-mappings.yaml"));
  static edgegw::mapping::Mapper instance(configs, 64);
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t choice = data[0] % (kFixedTopics + 1);
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view topic;
  if (choice < kFixedTopics) {
    topic = kTopics[choice];
  } else {
    const std::size_t newline = rest.find('\n');
    topic = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  static edgegw::mapping::MapOutcome out;
  out.reset();
  mapper().map(topic, rest, kArrivalMs, out);
  return 0;
}
