#include "mapping/mapper.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "edgegw/text.hpp"
#include "edgegw/time_format.hpp"
#include "mapping/mapping_errc.hpp"
#include "mapping/sparkplug_presence.hpp"
#include "mapping/timestamp_bounds.hpp"
#include "mapping/timestamp_parser.hpp"
#include "sparkplug/sparkplug_errc.hpp"

namespace edgegw::mapping {
namespace {

std::string_view capture(const Captures& captures, std::string_view name) {
  for (const auto& [key, value] : captures) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

// A field as a number: JSON numbers, CSV columns, and quoted numbers where the mapping
// allows them (numeric_strings). Anything else is a wrong type.
bool numeric_value(const FieldValue& value, const MappingConfig& mapping, double& out) {
  if (value.kind == FieldValue::Kind::number) {
    out = value.number;
    return true;
  }
  const bool text_allowed = mapping.format == PayloadFormat::csv || mapping.numeric_strings;
  return value.kind == FieldValue::Kind::text && text_allowed && parse_number(value.text, out);
}

// A sensor's reading as a number: one of its text codes, or else a numeric value.
bool sensor_value(const FieldValue& value, const MappingConfig& mapping,
                  const SensorMapping& sensor, double& out) {
  if (value.kind == FieldValue::Kind::text && !sensor.values.empty()) {
    const auto code = std::find_if(sensor.values.begin(), sensor.values.end(),
                                   [&](const auto& entry) { return entry.first == value.text; });
    if (code != sensor.values.end()) {
      out = code->second;
      return true;
    }
  }
  return numeric_value(value, mapping, out);
}

std::string describe(const FieldValue& value) {
  if (value.kind == FieldValue::Kind::text) {
    constexpr std::size_t kShown = 40;
    return fmt::format("text '{}'", value.text.substr(0, kShown));
  }
  return std::string(value.type_name.empty() ? "a non-number" : value.type_name);
}

}  // namespace

Mapper::Mapper(const std::vector<MappingConfig>& mappings, std::size_t max_id_bytes)
    : max_id_bytes_(max_id_bytes) {
  mappings_.reserve(mappings.size());
  for (const MappingConfig& m : mappings) {
    mappings_.push_back(compile_mapping(m));
    reads_message_properties_ |= mappings_.back().reads_message_properties;
  }
}

void Mapper::map(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
                 MapOutcome& out, const MessageProperties& properties) {
  out.reset();
  properties_ = &properties;
  const CompiledMapping* match = nullptr;
  for (const CompiledMapping& m : mappings_) {
    if (m.topic.match(topic, captures_)) {
      match = &m;
      break;
    }
  }
  if (match == nullptr) {
    out.problems.push_back(
        {DeadLetterReason::no_mapping, "no mapping matches the topic"});  // the record has it
    return;
  }
  out.mapping = match->config;
  if (match->config->format == PayloadFormat::sparkplug) {
    map_sparkplug(*match, topic, payload, arrival_ms, out);
    return;
  }
  const bool has_message_tags = !match->message_tags.empty();
  if (!fill_identity(*match, out) || (has_message_tags && !add_message_tags(*match, out))) {
    return;
  }
  const Status decoded = fields_.decode(match->config->format, *match->config, payload);
  if (!decoded) {
    out.problems.push_back(
        {DeadLetterReason::decode_error,
         fmt::format("mapping '{}': {}", match->config->name, decoded.error().message)});
    return;
  }
  read_sensors(*match, out);
  read_timestamp(*match, arrival_ms, out);
  read_sequence(*match, out);
  if (out.timestamp == TimestampVerdict::rejected) {
    // Nothing of it is forwarded or analysed: at the wrong time, good readings would
    // still poison their device's event time.
    out.sample.readings.clear();
    return;
  }
  // A sequence-only mapping yields a sample without readings: it still tells
  // downstream checkers (and the gap counter) that the device's message arrived.
  const bool sequence_only = match->sensors.empty() && match->config->sensor_capture.empty();
  out.has_sample = !out.sample.readings.empty() || (sequence_only && out.sample.sequence >= 0);
  if (!out.has_sample && out.problems.empty()) {
    out.problems.push_back(
        {DeadLetterReason::no_readings, fmt::format("mapping '{}': none of its sensors is "
                                                    "in the payload",
                                                    match->config->name)});
  }
}

// False, with a bad_device problem and no identity kept, when an id cannot be used.
bool Mapper::fill_identity(const CompiledMapping& m, MapOutcome& out) const {
  const std::string_view device = capture(captures_, m.config->device_capture);
  if (!check_id("device id", device, out)) {
    return false;
  }
  for (const std::string& tag : m.capture_tags) {
    if (!check_id(fmt::format("tag '{}'", tag), capture(captures_, tag), out)) {
      return false;
    }
  }
  out.sample.device = device;
  for (const std::string& tag : m.capture_tags) {
    out.sample.tags.emplace_back(tag, capture(captures_, tag));
  }
  return true;
}

// Tags from the message's properties; one the message lacks is left out. Their values
// are checked like ids, as they go the same places.
bool Mapper::add_message_tags(const CompiledMapping& m, MapOutcome& out) const {
  for (const MessageField& field : m.message_tags) {
    const std::string* value = field.find(*properties_);
    if (value == nullptr) {
      continue;
    }
    if (!check_id(fmt::format("tag '{}'", field.tag_name()), *value, out)) {
      out.sample.device.clear();  // no identity is kept, as for a bad capture
      out.sample.tags.clear();
      return false;
    }
    out.sample.tags.emplace_back(field.tag_name(), *value);
  }
  return true;
}

// A message field: a property is text, read as a number when it is one (like a CSV
// column), so that a sensor may take its reading from it.
FieldValue Mapper::message_value(const MessageField& field) const {
  const std::string* text = field.find(*properties_);
  if (text == nullptr) {
    return {};
  }
  FieldValue value;
  if (parse_number(*text, value.number)) {
    value.kind = FieldValue::Kind::number;
  } else {
    value.kind = FieldValue::Kind::text;
    value.text = *text;
  }
  return value;
}

// Ids become Kafka keys, state-table keys and parts of outgoing MQTT topics (whose
// length is a 16-bit field): a long one could wrap a topic onto another device's, a
// control character forge a log line.
bool Mapper::check_id(std::string_view what, std::string_view id, MapOutcome& out) const {
  std::string problem;
  if (id.size() > max_id_bytes_) {
    problem = fmt::format("{} of {} bytes is longer than mqtt.max_id_length ({} bytes)", what,
                          id.size(), max_id_bytes_);
  } else if (!is_valid_utf8(id) || has_control_characters(id)) {
    problem = fmt::format("{} '{}' has control characters or is not UTF-8", what, printable(id));
  } else {
    return true;
  }
  out.problems.push_back({DeadLetterReason::bad_device, std::move(problem)});
  return false;
}

void Mapper::read_sensors(const CompiledMapping& m, MapOutcome& out) {
  if (!m.config->sensor_capture.empty()) {
    // One topic per sensor: the topic names the sensor, the payload is its value.
    const std::string_view name = capture(captures_, m.config->sensor_capture);
    const FieldValue raw = fields_.get(FieldLocator{});
    const auto it = std::find_if(m.sensors.begin(), m.sensors.end(),
                                 [&](const CompiledSensor& s) { return s.config->name == name; });
    if (it != m.sensors.end()) {
      add_reading(*it->config, it->config->name, raw, out);
    } else if (m.config->accept_unlisted_sensors) {
      add_reading(SensorMapping{}, std::string(name), raw, out);
    } else {
      out.problems.push_back(
          {DeadLetterReason::unknown_sensor, fmt::format("mapping '{}': sensor '{}' is not "
                                                         "listed",
                                                         m.config->name, name)});
    }
    return;
  }
  for (const CompiledSensor& sensor : m.sensors) {
    const FieldValue raw = field_value(sensor.field);
    if (raw.kind != FieldValue::Kind::missing) {
      add_reading(*sensor.config, sensor.config->name, raw, out);
    }
  }
}

void Mapper::add_reading(const SensorMapping& sensor, const std::string& name,
                         const FieldValue& raw, MapOutcome& out) const {
  double value = 0;
  if (!sensor_value(raw, *out.mapping, sensor, value)) {
    out.problems.push_back({DeadLetterReason::wrong_type,
                            fmt::format("sensor '{}' (field '{}'): expected a number, got {}", name,
                                        sensor.field, describe(raw))});
    return;
  }
  value = value * sensor.scale + sensor.offset;
  if (!std::isfinite(value)) {
    out.problems.push_back(
        {DeadLetterReason::not_finite, fmt::format("sensor '{}': value is not finite", name)});
    return;
  }
  if ((sensor.min && value < *sensor.min) || (sensor.max && value > *sensor.max)) {
    out.problems.push_back({DeadLetterReason::out_of_range,
                            fmt::format("sensor '{}': {} is outside its valid range [{}, {}]", name,
                                        value, sensor.min ? fmt::format("{}", *sensor.min) : "-inf",
                                        sensor.max ? fmt::format("{}", *sensor.max) : "inf")});
    return;
  }
  out.sample.readings.push_back({name, value, sensor.unit});
}

void Mapper::read_timestamp(const CompiledMapping& m, std::int64_t arrival_ms,
                            MapOutcome& out) const {
  out.sample.timestamp_ms = arrival_ms;
  if (!m.timestamp) {
    return;
  }
  const TimestampMapping& config = *m.config->timestamp;
  const FieldValue raw = field_value(*m.timestamp);
  Result<std::int64_t> ts = make_error(MappingErrc::bad_timestamp, "");
  double number = 0;
  if (config.format == TimestampFormat::iso8601 && raw.kind == FieldValue::Kind::text) {
    ts = parse_iso8601_ms(raw.text);
  } else if (config.format != TimestampFormat::iso8601 && numeric_value(raw, *m.config, number)) {
    ts = epoch_ms_from_number(number, config.format);
  } else if (raw.kind == FieldValue::Kind::missing) {
    ts = make_error(MappingErrc::bad_timestamp, "the timestamp field is missing");
  } else {
    ts = make_error(MappingErrc::bad_timestamp,
                    fmt::format("expected a timestamp, got {}", describe(raw)));
  }
  if (ts) {
    accept_timestamp(*m.config, ts.value(), arrival_ms, config.field, out);
  } else {
    // The readings are still good: keep them at arrival time and report the problem.
    out.problems.push_back(
        {DeadLetterReason::bad_timestamp,
         fmt::format("field '{}': {}; arrival time used", config.field, ts.error().message)});
  }
}

// A payload timestamp within the mapping's bounds becomes the sample's; beyond them, the
// mapping's on_bad_timestamp decides.
void Mapper::accept_timestamp(const MappingConfig& config, std::int64_t ts, std::int64_t arrival_ms,
                              std::string_view field, MapOutcome& out) const {
  std::optional<std::string> beyond =
      check_timestamp_bounds(ts, arrival_ms, config.timestamp_bounds, field);
  if (!beyond) {
    out.sample.timestamp_ms = ts;
  } else if (config.timestamp_bounds.on_bad_timestamp == BadTimestampPolicy::arrival_time) {
    out.timestamp = TimestampVerdict::replaced;  // kept at arrival time, counted
    out.timestamp_note = *std::move(beyond) + "; arrival time used";
  } else {
    // First, so that the dead letter's reason is what rejected the whole message.
    out.timestamp = TimestampVerdict::rejected;
    out.problems.insert(out.problems.begin(),
                        Problem{DeadLetterReason::bad_timestamp, *std::move(beyond)});
  }
}

void Mapper::read_sequence(const CompiledMapping& m, MapOutcome& out) const {
  if (!m.sequence) {
    return;
  }
  double number = 0;
  const FieldValue raw = field_value(*m.sequence);
  if (numeric_value(raw, *m.config, number) && number >= 0 && number < 9.0e15 &&
      number == std::floor(number)) {
    out.sample.sequence = static_cast<std::int64_t>(number);
  } else if (raw.kind != FieldValue::Kind::missing) {
    out.problems.push_back(
        {DeadLetterReason::bad_sequence, fmt::format("field '{}': expected a whole number, "
                                                     "got {}",
                                                     m.config->sequence_field, describe(raw))});
  }
}

std::vector<std::string> Mapper::subscription_filters() const {
  std::vector<std::string> filters;
  for (const CompiledMapping& m : mappings_) {
    std::string filter = m.topic.subscription_filter();
    if (std::find(filters.begin(), filters.end(), filter) == filters.end()) {
      filters.push_back(std::move(filter));
    }
  }
  return filters;
}

namespace {

// Metrics the Sparkplug protocol itself uses, which are no sensor's readings.
bool is_protocol_metric(std::string_view name) {
  return name == "bdSeq" || name.starts_with("Node Control/") ||
         name.starts_with("Device Control/");
}

DeadLetterReason sparkplug_reason(const std::error_code& code) {
  const bool unreadable_session =
      code == sparkplug::SparkplugErrc::no_birth || code == sparkplug::SparkplugErrc::unknown_alias;
  return unreadable_session ? DeadLetterReason::no_birth : DeadLetterReason::decode_error;
}

}  // namespace

// Sparkplug B: the topic names the edge node and device and says what the message is; the
// decoder resolves the metrics' names from the births it has seen. Births and deaths
// change the devices' presence; deaths and commands carry no readings.
void Mapper::map_sparkplug(const CompiledMapping& m, std::string_view topic,
                           std::string_view payload, std::int64_t arrival_ms, MapOutcome& out) {
  out.sample.timestamp_ms = arrival_ms;
  const Status decoded = sparkplug_.decode(topic, payload, sparkplug_message_);
  out.sparkplug_seq_gap = sparkplug_message_.seq_gap;  // also of data that cannot be read
  if (const Result<sparkplug::Topic> parsed = sparkplug::parse_topic(topic); parsed) {
    if (!fill_sparkplug_identity(parsed.value(), out)) {
      return;
    }
  }
  if (!decoded) {
    out.problems.push_back(
        {sparkplug_reason(decoded.error().code),
         fmt::format("mapping '{}': {}", m.config->name, decoded.error().message)});
    return;
  }
  sparkplug_presence(sparkplug_message_, out.presence);
  const sparkplug::MessageType type = sparkplug_message_.topic.type;
  const bool birth =
      type == sparkplug::MessageType::nbirth || type == sparkplug::MessageType::dbirth;
  if (!birth && type != sparkplug::MessageType::ndata && type != sparkplug::MessageType::ddata) {
    return;
  }
  fields_.use_sparkplug(sparkplug_message_.metrics);
  read_sensors(m, out);
  read_unlisted_metrics(m, out);
  if (sparkplug_message_.timestamp_ms > 0) {
    accept_timestamp(*m.config, sparkplug_message_.timestamp_ms, arrival_ms, "timestamp", out);
  }
  if (out.timestamp == TimestampVerdict::rejected) {
    out.sample.readings.clear();
    return;
  }
  out.has_sample = !out.sample.readings.empty();
  if (!out.has_sample && out.problems.empty() && !birth) {
    // A birth may declare only metrics of the node or of other devices; data should not.
    out.problems.push_back({DeadLetterReason::no_readings,
                            fmt::format("mapping '{}': none of its sensors is in the {} message",
                                        m.config->name, sparkplug::message_type_name(type))});
  }
}

// The device is the Sparkplug device, or the edge node for the node's own metrics; the
// group and the edge node are tags, beside the template's captures.
bool Mapper::fill_sparkplug_identity(const sparkplug::Topic& topic, MapOutcome& out) const {
  const std::string_view device = topic.about_device() ? topic.device : topic.edge_node;
  if (!check_id("device id", device, out) || !check_id("group", topic.group, out) ||
      !check_id("edge node", topic.edge_node, out)) {
    return false;
  }
  out.sample.device = device;
  out.sample.tags.emplace_back("group", topic.group);
  out.sample.tags.emplace_back("edge_node", topic.edge_node);
  return true;
}

// With accept_unlisted_sensors, every numeric metric the mapping does not list is a
// reading (without unit or range), but for the protocol's own.
void Mapper::read_unlisted_metrics(const CompiledMapping& m, MapOutcome& out) {
  if (!m.config->accept_unlisted_sensors) {
    return;
  }
  for (const sparkplug::Metric& metric : sparkplug_message_.metrics) {
    const bool listed = std::any_of(m.sensors.begin(), m.sensors.end(),
                                    [&](const auto& s) { return s.config->field == metric.name; });
    if (!listed && !is_protocol_metric(metric.name) &&
        metric.value.kind == sparkplug::MetricValue::Kind::number) {
      FieldLocator locator;
      locator.metric = metric.name;
      add_reading(SensorMapping{}, locator.metric, fields_.get(locator), out);
    }
  }
}

}  // namespace edgegw::mapping
