#pragma once
// How an integrator describes a device's MQTT messages: which topics, which payload
// format, which fields are which sensors. The mapper (gateway/mapping) turns a message
// into Samples with these.

#include <optional>
#include <string>
#include <vector>

namespace edgegw {

enum class PayloadFormat { json, number, csv };
enum class TimestampFormat { seconds, milliseconds, iso8601 };

struct SensorMapping {
  std::string name;   // the sensor's name in the Sample
  std::string field;  // json: field path (a.b[0].c); csv: column name; number: unused
  std::string unit;
  double scale = 1.0;  // value = raw * scale + offset
  double offset = 0.0;
  std::optional<double> min;  // valid range of the scaled value; outside is rejected
  std::optional<double> max;
};

struct TimestampMapping {
  std::string field;  // json field path or csv column
  TimestampFormat format = TimestampFormat::milliseconds;
};

// What a mapping forwards to Kafka besides alerts: raw telemetry, the window aggregates,
// or both (aggregates are the edge's bandwidth saver).
enum class ForwardMode { raw, aggregates, both };

inline constexpr const char* kSequenceIsPayload = "payload";

struct MappingConfig {
  std::string name;
  std::string topic;  // template: literal levels, {capture}, + and a final #
  PayloadFormat format = PayloadFormat::json;
  std::vector<std::string> csv_columns;  // csv: column names in order
  char csv_delimiter = ',';
  std::vector<SensorMapping> sensors;
  // number format with one topic per sensor: the capture that names the sensor. Sensors
  // listed in `sensors` give unit/scale/range by name; others are rejected unless
  // accept_unlisted_sensors is set.
  std::string sensor_capture;
  bool accept_unlisted_sensors = false;
  std::optional<TimestampMapping> timestamp;  // none: arrival time
  std::string device_capture = "device";
  std::vector<std::string> tag_captures;
  // Optional per-device sequence number: a json field or csv column; for the number
  // format, kSequenceIsPayload makes the payload itself the sequence number (a device
  // that publishes its counter on a topic of its own).
  std::string sequence_field;
  // json: accept numbers sent as text ("12.5"); off by default, so that a device sending
  // the wrong type is noticed (dead letter `wrong_type`) rather than guessed at.
  bool numeric_strings = false;
  std::string analytics_profile;  // empty: the analytics default
  ForwardMode forward = ForwardMode::raw;
  int line = 0;  // where it was defined, for messages
};

}  // namespace edgegw
