#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "config/option_table.hpp"
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

void read_text_codes(SensorMapping& sensor, const ConfigNode& node) {
  for (const auto& [code, number] : node.entries()) {
    if (code.empty()) {
      number.fail("a text code must not be empty");
    }
    sensor.values.emplace_back(code, number.as<double>());
  }
  if (sensor.values.empty()) {
    node.fail("lists no codes (give e.g. {idle: 0, running: 1})");
  }
}

const OptionTable<SensorMapping>& sensor_options() {
  static const OptionTable<SensorMapping> table = {
      text<SensorMapping>("name", &SensorMapping::name,
                          "The reading's name in records and analytics; unique within its "
                          "mapping.",
                          EmptyValue::refused)
          .required(),
      text<SensorMapping>(
          "field", &SensorMapping::field,
          "json: field path (`metrics.flow.value`, `bearings[0].temp`); any format: "
          "`$user.<name>` or `$content_type`, an MQTT 5 property (text, read as a number "
          "when it is one). Checked "
          "with the config, so a bad path names the sensor's line.")
          .shown_default("the name"),
      text<SensorMapping>("column", &SensorMapping::field,
                          "csv: one of `columns` (instead of `field`).")
          .shown_default("the name"),
      text<SensorMapping>("unit", &SensorMapping::unit, "Unit, carried in records."),
      number<SensorMapping>("scale", &SensorMapping::scale, {}, "value = raw × scale + offset."),
      number<SensorMapping>("offset", &SensorMapping::offset, {}, "Added after `scale`."),
      number<SensorMapping>("min", &SensorMapping::min, {},
                            "Valid range of the scaled value; a reading below it is dropped and "
                            "dead-lettered (`out_of_range`); the other readings of the message "
                            "go on."),
      number<SensorMapping>("max", &SensorMapping::max, {},
                            "Likewise, the top of the valid range."),
      custom<SensorMapping>(
          "values", "map",
          "Text codes and their numbers, e.g. `{idle: 0, running: 1, fault: 2}`: a text "
          "field (a machine's operating state, a status word) becomes the number of its code "
          "(before `scale`); a text not listed is dead-lettered (`wrong_type`).",
          read_text_codes),
  };
  return table;
}

SensorMapping parse_sensor(const ConfigNode& node, const MappingConfig& m) {
  SensorMapping sensor;
  read_options(node, sensor_options(), sensor);
  const bool written = node.has("column") || node.has("field");
  // A bare number payload has no fields; the sensor's name does not name one.
  if (!written) {
    sensor.field = m.format != PayloadFormat::number ? sensor.name : "";
  }
  check_field(field_node(node), sensor.field, m);
  if (sensor.min && sensor.max && *sensor.min > *sensor.max) {
    node.child("min").fail("must not exceed max");
  }
  return sensor;
}

const OptionTable<TimestampMapping>& timestamp_options() {
  static const OptionTable<TimestampMapping> table = {
      text<TimestampMapping>("field", &TimestampMapping::field,
                             "json: the field path of the timestamp (required unless `column`)."),
      text<TimestampMapping>("column", &TimestampMapping::field,
                             "csv: the column of the timestamp (instead of `field`)."),
      choice<TimestampMapping>(
          "format", &TimestampMapping::format,
          {{"seconds", TimestampFormat::seconds},
           {"milliseconds", TimestampFormat::milliseconds},
           {"iso8601", TimestampFormat::iso8601}},
          "`seconds` may be fractional; `iso8601` is `2024-05-01T12:00:00.123Z`, offsets "
          "`+02:00` or `+0200`, a fraction beyond milliseconds is cut, no zone means UTC, a "
          "date that does not exist (30 February) is refused."),
  };
  return table;
}

std::optional<TimestampMapping> parse_timestamp(const ConfigNode& node, const MappingConfig& m) {
  if (!node.defined()) {
    return std::nullopt;  // arrival time
  }
  TimestampMapping ts;
  read_options(node, timestamp_options(), ts);
  const ConfigNode field = node.has("column") ? node.child("column") : node.required("field");
  check_field(field, ts.field, m);
  return ts;
}

// Only a timestamp read from the payload can be off (a Sparkplug payload always has
// one); one that says it is checked when nothing is would mislead.
void check_timestamp_bounds(const ConfigNode& node, const MappingConfig& m) {
  for (const char* key : {"max_clock_skew", "max_sample_age", "on_bad_timestamp"}) {
    const bool payload_timestamp = m.timestamp || m.format == PayloadFormat::sparkplug;
    if (!payload_timestamp && node.has(key)) {
      node.child(key).fail(
          "checks a payload timestamp, and this mapping has none (its samples take the "
          "arrival time): add 'timestamp' or remove this key");
    }
  }
}

// A Sparkplug topic says which edge node and device a message is about, and its payload
// carries its timestamp: a mapping can only choose which metrics are which sensors.
void check_sparkplug_rules(const ConfigNode& node, const MappingConfig& m) {
  if (!m.topic.starts_with("spBv1.0/") || !m.topic.ends_with("/#")) {
    node.child("topic").fail(
        "a sparkplug mapping's topic is spBv1.0/<group or {capture} or +>/#: the message type, "
        "edge node and device follow from the Sparkplug topic");
  }
  for (const char* key : {"device", "tags", "timestamp", "sequence", "columns"}) {
    if (node.has(key)) {
      node.child(key).fail(
          "a sparkplug mapping takes the device, the tags `group` and `edge_node` and the "
          "timestamp from the Sparkplug message itself, and has no sequence or columns");
    }
  }
  if (m.sensors.empty() && !m.accept_unlisted_sensors) {
    node.fail("list the metrics that are sensors, or set accept_unlisted_sensors");
  }
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
  if (m.format == PayloadFormat::sparkplug) {
    check_sparkplug_rules(node, m);
    return;
  }
  if (m.sensors.empty()) {
    node.fail("a mapping needs at least one sensor");
  }
}

// The bounds of a payload timestamp live in a member of their own.
std::int64_t& max_clock_skew(MappingConfig& m) {
  return m.timestamp_bounds.max_clock_skew_ms;
}
std::int64_t& max_sample_age(MappingConfig& m) {
  return m.timestamp_bounds.max_sample_age_ms;
}
BadTimestampPolicy& on_bad_timestamp(MappingConfig& m) {
  return m.timestamp_bounds.on_bad_timestamp;
}

void read_delimiter(MappingConfig& m, const ConfigNode& node) {
  const std::string delimiter = node.as<std::string>();
  if (delimiter.size() != 1) {
    node.fail("must be a single character");
  }
  m.csv_delimiter = delimiter[0];
}

const OptionTable<MappingConfig>& mapping_options() {
  static const OptionTable<MappingConfig> table = {
      text<MappingConfig>("name", &MappingConfig::name,
                          "Unique; appears in records (`mapping`) and messages.")
          .required(),
      text<MappingConfig>("topic", &MappingConfig::topic,
                          "Template: literal levels, `{capture}` (one level, named), `+` (one "
                          "level), a final `#`. Example: `factory/{site}/pump/{device}/telemetry`.")
          .required(),
      choice<MappingConfig>("format", &MappingConfig::format,
                            {{"json", PayloadFormat::json},
                             {"number", PayloadFormat::number},
                             {"csv", PayloadFormat::csv},
                             {"sparkplug", PayloadFormat::sparkplug}},
                            "How the payload is read. `sparkplug`: Sparkplug B (a sensor's `field` "
                            "is a metric's name; see [sparkplug.md](sparkplug.md)).")
          .required(),
      text<MappingConfig>("device", &MappingConfig::device_capture,
                          "The capture that names the device (the Kafka key by default)."),
      list<MappingConfig>("tags", &MappingConfig::tag_captures,
                          "Captures copied into the record's `tags`; with `version: 5` also "
                          "`$user.<name>` (a user property, tag `<name>`) and `$content_type` "
                          "(tag `content_type`), left out when the message lacks them."),
      declared<MappingConfig>("sensors", "list",
                              "The sensors (below). At least one, but for a `number` mapping "
                              "with `sensor_capture` and `accept_unlisted_sensors`, or with "
                              "`sequence: payload`."),
      declared<MappingConfig>(
          "timestamp", "map",
          "Where the payload carries its timestamp: `timestamp.*` below, e.g. `{field: ts, "
          "format: milliseconds}`. An unreadable timestamp keeps the readings at arrival time "
          "and adds a `bad_timestamp` dead letter. A readable one is checked against the "
          "arrival time (`max_clock_skew`, `max_sample_age`).")
          .shown_default("arrival time"),
      duration<MappingConfig>(
          "max_clock_skew", max_clock_skew, {},
          "With `timestamp`: how far ahead of its arrival time a message's timestamp may be. "
          "Beyond it the timestamp is a wrong clock, not event time: one sample stamped years "
          "ahead would move its device's event time there, and analytics would take every "
          "later sample of the device as late. `none` (or `0`): no bound.",
          NoneValue::allowed),
      duration<MappingConfig>(
          "max_sample_age", max_sample_age, {},
          "With `timestamp`: how far behind its arrival time it may be; long enough for a "
          "device that buffered through an outage to deliver its backlog. `none` (or `0`): no "
          "bound (e.g. to replay old data).",
          NoneValue::allowed),
      choice<MappingConfig>(
          "on_bad_timestamp", on_bad_timestamp,
          {{"dead_letter", BadTimestampPolicy::dead_letter},
           {"arrival_time", BadTimestampPolicy::arrival_time}},
          "With `timestamp`, for a timestamp beyond those bounds: `dead_letter` sends the whole "
          "message to the dead-letter stream (reason `bad_timestamp`, the detail names the "
          "timestamp, the arrival time and the bound; no telemetry, no analytics; counted in "
          "`edgegw_timestamps_rejected_total`); `arrival_time` keeps the sample with the "
          "arrival time as its timestamp (counted in `edgegw_timestamps_replaced_total`). A "
          "timestamp exactly at a bound is kept. These three keys are an error on a mapping "
          "without `timestamp`, whose samples take the arrival time and cannot be off."),
      flag<MappingConfig>("numeric_strings", &MappingConfig::numeric_strings,
                          "json: accept numbers sent as text (`\"12.5\"`); otherwise they are "
                          "`wrong_type`. CSV columns are always text."),
      text<MappingConfig>("sequence", &MappingConfig::sequence_field,
                          "Field (json) or column (csv) with the device's message counter; gaps "
                          "are counted (`edgegw_sequence_gaps_total`) and the value is in the "
                          "record as `seq`. For `number`: `payload` means the payload itself is "
                          "the counter (a device that publishes it on a topic of its own)."),
      list<MappingConfig>("columns", &MappingConfig::csv_columns,
                          "Column names in order (header-less CSV, one line per message).")
          .shown_default("csv: required"),
      custom<MappingConfig>("delimiter", "character", "CSV delimiter.", read_delimiter,
                            [](MappingConfig& m) { return fmt::format("`{}`", m.csv_delimiter); }),
      text<MappingConfig>("sensor_capture", &MappingConfig::sensor_capture,
                          "`number` only: the capture that names the sensor "
                          "(`.../{device}/{sensor}`); `sensors` then gives unit, scale and range "
                          "by name, and an unlisted name is dead-lettered as `unknown_sensor`."),
      flag<MappingConfig>("accept_unlisted_sensors", &MappingConfig::accept_unlisted_sensors,
                          "With `sensor_capture`: a sensor name not in `sensors` is a reading "
                          "without unit or range instead of an `unknown_sensor` dead letter. "
                          "With `format: sparkplug`: every numeric metric not in `sensors` is a "
                          "reading named as the metric (but `bdSeq` and `Node Control/*`)."),
      text<MappingConfig>("analytics_profile", &MappingConfig::analytics_profile,
                          "Which analytics profile applies to these devices (see "
                          "[analytics.md](analytics.md)).")
          .shown_default("default profile"),
      choice<MappingConfig>("forward", &MappingConfig::forward,
                            {{"raw", ForwardMode::raw},
                             {"aggregates", ForwardMode::aggregates},
                             {"both", ForwardMode::both}},
                            "`raw` (telemetry records), `aggregates` (only window aggregates: the "
                            "bandwidth saver), or `both`."),
  };
  return table;
}

void check_captures(const ConfigNode& node, const MappingConfig& m,
                    const mapping::TopicTemplate& topic) {
  if (m.format == PayloadFormat::sparkplug) {
    return;  // the Sparkplug topic names the device (check_sparkplug_rules)
  }
  if (!topic.has_capture(m.device_capture)) {
    node.child("device").fail(
        fmt::format("the device capture '{}' is not in topic '{}' (write it as {{{}}})",
                    m.device_capture, m.topic, m.device_capture));
  }
  for (const std::string& tag : m.tag_captures) {
    if (mapping::is_message_field(tag)) {
      if (const auto field = mapping::parse_message_field(tag); !field) {
        node.child("tags").fail(field.error().message);
      }
    } else if (!topic.has_capture(tag)) {
      node.child("tags").fail(fmt::format("tag '{}' is not a capture of topic '{}'", tag, m.topic));
    }
  }
}

void parse_sensors(const ConfigNode& node, MappingConfig& m) {
  std::set<std::string> names;
  for (const ConfigNode& s : node.items()) {
    m.sensors.push_back(parse_sensor(s, m));
    if (!names.insert(m.sensors.back().name).second) {
      s.child("name").fail(fmt::format("sensor '{}' is listed twice", m.sensors.back().name));
    }
  }
}

MappingConfig parse_mapping(const ConfigNode& node) {
  MappingConfig m;
  m.line = node.line();
  read_options(node, mapping_options(), m);
  Result<mapping::TopicTemplate> topic = mapping::TopicTemplate::parse(m.topic);
  if (!topic) {
    node.child("topic").fail(topic.error().message);
  }
  if (m.format == PayloadFormat::csv && m.csv_columns.empty()) {
    node.fail("csv mappings need 'columns' (the column names in order)");
  }
  parse_sensors(node.child("sensors"), m);
  m.timestamp = parse_timestamp(node.child("timestamp"), m);
  check_timestamp_bounds(node, m);
  check_captures(node, m, topic.value());
  if (!m.sequence_field.empty() && m.sequence_field != kSequenceIsPayload) {
    check_field(node.child("sequence"), m.sequence_field, m);
  }
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

std::vector<OptionDoc> describe_mapping_keys() {
  std::vector<OptionDoc> rows = describe_options(mapping_options());
  const std::vector<OptionDoc> timestamp = describe_options(timestamp_options(), "timestamp.");
  const auto after = std::find_if(rows.begin(), rows.end(),
                                  [](const OptionDoc& row) { return row.key == "timestamp"; });
  rows.insert(after + 1, timestamp.begin(), timestamp.end());
  return rows;
}

std::vector<OptionDoc> describe_sensor_keys() {
  return describe_options(sensor_options());
}

}  // namespace edgegw::config
