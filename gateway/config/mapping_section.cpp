#include <fmt/format.h>

#include <set>

#include "config/sections.hpp"
#include "mapping/compiled_mapping.hpp"
#include "mapping/topic_template.hpp"

namespace edgegw::config {
namespace {

// Fails at `where` when the mapper could not locate `field` in the payload format. The
// mapper would find the same when it compiles, but only here are the file, line and key
// known.
void check_field(const ConfigNode& where, const std::string& field, const MappingConfig& m) {
  if (const Result<mapping::FieldLocator> locator = mapping::locate_field(m, field); !locator) {
    where.fail(locator.error().message);
  }
}

// A field is written as `column` or `field`, or defaults to the sensor's name; errors
// point at whichever the user wrote.
ConfigNode field_node(const ConfigNode& node) {
  for (const char* key : {"column", "field"}) {
    if (node.has(key)) {
      return node.child(key);
    }
  }
  return node.child("name");
}

SensorMapping parse_sensor(const ConfigNode& node, const MappingConfig& m) {
  node.check_keys({"name", "field", "column", "unit", "scale", "offset", "min", "max"});
  SensorMapping sensor;
  sensor.name = node.required("name").as<std::string>();
  if (sensor.name.empty()) {
    node.child("name").fail("must not be empty");
  }
  const ConfigNode field = field_node(node);
  const bool written = node.has("column") || node.has("field");
  // A bare number payload has no fields; the sensor's name does not name one.
  sensor.field = written || m.format != PayloadFormat::number ? field.as<std::string>() : "";
  check_field(field, sensor.field, m);
  sensor.unit = node.get<std::string>("unit", "");
  sensor.scale = node.get<double>("scale", 1.0);
  sensor.offset = node.get<double>("offset", 0.0);
  if (node.has("min")) {
    sensor.min = node.child("min").as<double>();
  }
  if (node.has("max")) {
    sensor.max = node.child("max").as<double>();
  }
  if (sensor.min && sensor.max && *sensor.min > *sensor.max) {
    node.child("min").fail("must not exceed max");
  }
  return sensor;
}

std::optional<TimestampMapping> parse_timestamp(const ConfigNode& node, const MappingConfig& m) {
  if (!node.defined()) {
    return std::nullopt;  // arrival time
  }
  node.check_keys({"field", "column", "format"});
  TimestampMapping ts;
  const ConfigNode field = node.has("column") ? node.child("column") : node.required("field");
  ts.field = field.as<std::string>();
  check_field(field, ts.field, m);
  const std::string format =
      node.has("format") ? node.child("format").as_choice({"seconds", "milliseconds", "iso8601"})
                         : "milliseconds";
  ts.format = format == "seconds"        ? TimestampFormat::seconds
              : format == "milliseconds" ? TimestampFormat::milliseconds
                                         : TimestampFormat::iso8601;
  return ts;
}

// A timestamp bound: a duration, or `none` (or 0) for no bound on that side.
std::int64_t parse_bound(const ConfigNode& node, std::int64_t fallback) {
  if (!node.defined()) {
    return fallback;
  }
  return node.as_duration_or_none().count();
}

TimestampBounds parse_timestamp_bounds(const ConfigNode& node, const MappingConfig& m) {
  // Only a timestamp read from the payload can be off; one that says it is checked when
  // nothing is would mislead.
  for (const char* key : {"max_clock_skew", "max_sample_age", "on_bad_timestamp"}) {
    if (!m.timestamp && node.has(key)) {
      node.child(key).fail(
          "checks a payload timestamp, and this mapping has none (its samples take the "
          "arrival time): add 'timestamp' or remove this key");
    }
  }
  TimestampBounds bounds;
  bounds.max_clock_skew_ms = parse_bound(node.child("max_clock_skew"), bounds.max_clock_skew_ms);
  bounds.max_sample_age_ms = parse_bound(node.child("max_sample_age"), bounds.max_sample_age_ms);
  if (node.has("on_bad_timestamp")) {
    bounds.on_bad_timestamp =
        node.child("on_bad_timestamp").as_choice({"dead_letter", "arrival_time"}) == "dead_letter"
            ? BadTimestampPolicy::dead_letter
            : BadTimestampPolicy::arrival_time;
  }
  return bounds;
}

void check_format_rules(const ConfigNode& node, const MappingConfig& m,
                        const mapping::TopicTemplate& topic) {
  if (!m.sensor_capture.empty()) {
    if (m.format != PayloadFormat::number) {
      node.child("sensor_capture").fail("only number mappings take the sensor from the topic");
    }
    if (!topic.has_capture(m.sensor_capture)) {
      node.child("sensor_capture")
          .fail(fmt::format("'{}' is not a capture of topic '{}'", m.sensor_capture, m.topic));
    }
  }
  if (m.format == PayloadFormat::number) {
    if (m.timestamp) {
      node.child("timestamp").fail("a bare number payload has no timestamp field");
    }
    const bool sequence_only = m.sequence_field == kSequenceIsPayload;
    if (sequence_only && (!m.sensors.empty() || !m.sensor_capture.empty())) {
      node.fail("with 'sequence: payload' the number is the sequence: list no sensors");
    }
    if (!sequence_only && m.sensor_capture.empty() && m.sensors.size() != 1) {
      node.fail(
          "number mappings need exactly one sensor, 'sensor_capture' naming the topic "
          "capture that names the sensor, or 'sequence: payload'");
    }
    if (!m.sensor_capture.empty() && m.sensors.empty() && !m.accept_unlisted_sensors) {
      node.fail("list the sensors the topic may name, or set accept_unlisted_sensors");
    }
    return;
  }
  if (m.sensors.empty()) {
    node.fail("a mapping needs at least one sensor");
  }
}

MappingConfig parse_mapping(const ConfigNode& node) {
  node.check_keys({"name", "topic", "format", "columns", "delimiter", "sensors", "sensor_capture",
                   "accept_unlisted_sensors", "timestamp", "device", "tags", "sequence",
                   "numeric_strings", "analytics_profile", "forward", "max_clock_skew",
                   "max_sample_age", "on_bad_timestamp"});
  MappingConfig m;
  m.line = node.line();
  m.name = node.required("name").as<std::string>();
  m.topic = node.required("topic").as<std::string>();
  Result<mapping::TopicTemplate> topic = mapping::TopicTemplate::parse(m.topic);
  if (!topic) {
    node.child("topic").fail(topic.error().message);
  }
  const std::string format = node.required("format").as_choice({"json", "number", "csv"});
  m.format = format == "json"  ? PayloadFormat::json
             : format == "csv" ? PayloadFormat::csv
                               : PayloadFormat::number;
  m.csv_columns = node.get<std::vector<std::string>>("columns", {});
  if (m.format == PayloadFormat::csv && m.csv_columns.empty()) {
    node.fail("csv mappings need 'columns' (the column names in order)");
  }
  const std::string delimiter = node.get<std::string>("delimiter", ",");
  if (delimiter.size() != 1) {
    node.child("delimiter").fail("must be a single character");
  }
  m.csv_delimiter = delimiter[0];
  std::set<std::string> sensor_names;
  for (const ConfigNode& s : node.child("sensors").items()) {
    m.sensors.push_back(parse_sensor(s, m));
    if (!sensor_names.insert(m.sensors.back().name).second) {
      s.child("name").fail(fmt::format("sensor '{}' is listed twice", m.sensors.back().name));
    }
  }
  m.sensor_capture = node.get<std::string>("sensor_capture", "");
  m.accept_unlisted_sensors = node.get<bool>("accept_unlisted_sensors", false);
  m.timestamp = parse_timestamp(node.child("timestamp"), m);
  m.timestamp_bounds = parse_timestamp_bounds(node, m);
  m.device_capture = node.get<std::string>("device", "device");
  if (!topic.value().has_capture(m.device_capture)) {
    node.child("device").fail(
        fmt::format("the device capture '{}' is not in topic '{}' (write it as {{{}}})",
                    m.device_capture, m.topic, m.device_capture));
  }
  m.tag_captures = node.get<std::vector<std::string>>("tags", {});
  for (const std::string& tag : m.tag_captures) {
    if (!topic.value().has_capture(tag)) {
      node.child("tags").fail(fmt::format("tag '{}' is not a capture of topic '{}'", tag, m.topic));
    }
  }
  m.sequence_field = node.get<std::string>("sequence", "");
  if (!m.sequence_field.empty() && m.sequence_field != kSequenceIsPayload) {
    check_field(node.child("sequence"), m.sequence_field, m);
  }
  m.numeric_strings = node.get<bool>("numeric_strings", false);
  m.analytics_profile = node.get<std::string>("analytics_profile", "");
  const std::string forward =
      node.has("forward") ? node.child("forward").as_choice({"raw", "aggregates", "both"}) : "raw";
  m.forward = forward == "raw"          ? ForwardMode::raw
              : forward == "aggregates" ? ForwardMode::aggregates
                                        : ForwardMode::both;
  check_format_rules(node, m, topic.value());
  return m;
}

}  // namespace

std::vector<MappingConfig> parse_mappings_section(const ConfigNode& node) {
  std::vector<MappingConfig> mappings;
  std::set<std::string> names;
  for (const ConfigNode& item : node.items()) {
    MappingConfig m = parse_mapping(item);
    if (!names.insert(m.name).second) {
      item.child("name").fail(fmt::format("mapping name '{}' is used twice", m.name));
    }
    mappings.push_back(std::move(m));
  }
  if (mappings.empty()) {
    node.fail("at least one mapping is needed");
  }
  return mappings;
}

}  // namespace edgegw::config
