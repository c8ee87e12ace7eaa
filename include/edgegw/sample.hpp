#pragma once
// A Sample is what the mapper makes of one MQTT message: one device at one time, with
// its tags and one or more named sensor readings. Everything downstream (analytics, the
// telemetry record) starts from it.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace edgegw {

struct Reading {
  std::string sensor;
  double value = 0.0;
  std::string unit;  // empty when the mapping names none
};

struct Sample {
  std::string device;
  std::int64_t timestamp_ms = 0;  // event time, Unix epoch milliseconds (UTC)
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<Reading> readings;
  std::int64_t sequence = -1;  // the device's own message counter, -1 when it sends none
};

}  // namespace edgegw
