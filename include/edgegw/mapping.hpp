#pragma once
// How an integrator describes a device's MQTT messages: which topics, which payload
// format, which fields are which sensors. The mapper (gateway/mapping) turns a message
// into Samples with these.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgegw {

enum class PayloadFormat { json, number, csv, sparkplug };
enum class TimestampFormat { seconds, milliseconds, iso8601 };

struct SensorMapping {
  std::string name;   // the sensor's name in the Sample
  std::string field;  // json: field path (a.b[0].c); csv: column name; sparkplug: metric
                      // name; number: unused
  std::string unit;
  double scale = 1.0;  // value = raw * scale + offset
  double offset = 0.0;
  std::optional<double> min;  // valid range of the scaled value; outside is rejected
  std::optional<double> max;
  // Text codes and the numbers they stand for (`{idle: 0, running: 1, fault: 2}`): a
  // machine's operating state or a status word, as a reading.
  std::vector<std::pair<std::string, double>> values;
};

struct TimestampMapping {
  std::string field;  // json field path or csv column
  TimestampFormat format = TimestampFormat::milliseconds;
};

// What becomes of a message whose payload timestamp is out of bounds: dead-lettered
// (reason bad_timestamp), or kept with the arrival time in its place.
enum class BadTimestampPolicy { dead_letter, arrival_time };

// How far a payload timestamp may be from the message's arrival time. One sample stamped
// far in the future would move its device's event time there, and the analytics would
// then take every later sample of the device as late; one from long ago is a device
// clock that was never set. 0 means no bound on that side.
struct TimestampBounds {
  std::int64_t max_clock_skew_ms = 5 * 60'000LL;      // ahead of arrival
  std::int64_t max_sample_age_ms = 7 * 86'400'000LL;  // behind it: a device buffering through
                                                      // an outage still gets its data in
  BadTimestampPolicy on_bad_timestamp = BadTimestampPolicy::dead_letter;
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
  TimestampBounds timestamp_bounds;           // checked only for a payload timestamp
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
