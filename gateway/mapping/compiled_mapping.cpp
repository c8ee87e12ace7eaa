#include "mapping/compiled_mapping.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "edgegw/config_error.hpp"
#include "mapping/mapping_errc.hpp"

namespace edgegw::mapping {
namespace {

[[noreturn]] void fail(const MappingConfig& config, const std::string& what) {
  throw config::ConfigError(
      fmt::format("mapping '{}' (line {}): {}", config.name, config.line, what));
}

FieldLocator locate(const MappingConfig& config, const std::string& field) {
  Result<FieldLocator> locator = locate_field(config, field);
  if (!locator) {
    fail(config, locator.error().message);
  }
  return std::move(locator).value();
}

MessageField message_field(const MappingConfig& config, const std::string& field) {
  Result<MessageField> parsed = parse_message_field(field);
  if (!parsed) {
    fail(config, parsed.error().message);
  }
  return std::move(parsed).value();
}

bool is_message_locator(const std::optional<FieldLocator>& locator) {
  return locator && locator->message;
}

// Tags name topic captures, or message fields: those are looked up per message.
void compile_tags(const MappingConfig& config, CompiledMapping& compiled) {
  for (const std::string& tag : config.tag_captures) {
    if (is_message_field(tag)) {
      compiled.message_tags.push_back(message_field(config, tag));
    } else {
      compiled.capture_tags.push_back(tag);
    }
  }
}

bool any_message_field(const CompiledMapping& compiled) {
  const bool sensor_reads =
      std::any_of(compiled.sensors.begin(), compiled.sensors.end(),
                  [](const CompiledSensor& s) { return s.field.message.has_value(); });
  return sensor_reads || !compiled.message_tags.empty() || is_message_locator(compiled.timestamp) ||
         is_message_locator(compiled.sequence);
}

}  // namespace

Result<FieldLocator> locate_field(const MappingConfig& config, const std::string& field) {
  FieldLocator locator;
  if (is_message_field(field)) {
    Result<MessageField> message = parse_message_field(field);
    if (!message) {
      return message.error();
    }
    locator.message = std::move(message).value();
  } else if (config.format == PayloadFormat::json) {
    Result<JsonPath> path = JsonPath::parse(field);
    if (!path) {
      return path.error();
    }
    locator.json = std::move(path).value();
  } else if (config.format == PayloadFormat::csv) {
    const auto it = std::find(config.csv_columns.begin(), config.csv_columns.end(), field);
    if (it == config.csv_columns.end()) {
      return make_error(MappingErrc::bad_field,
                        fmt::format("'{}' is not one of the csv columns ({})", field,
                                    fmt::join(config.csv_columns, ", ")));
    }
    locator.csv_column = static_cast<std::size_t>(it - config.csv_columns.begin());
  } else if (config.format == PayloadFormat::sparkplug) {
    locator.metric = field;  // any name: a birth certificate declares what exists
  }
  return locator;
}

CompiledMapping compile_mapping(const MappingConfig& config) {
  Result<TopicTemplate> topic = TopicTemplate::parse(config.topic);
  if (!topic) {
    fail(config, topic.error().message);
  }
  CompiledMapping compiled;
  compiled.config = &config;
  compiled.topic = std::move(topic).value();
  for (const SensorMapping& sensor : config.sensors) {
    compiled.sensors.push_back({&sensor, locate(config, sensor.field)});
  }
  if (config.timestamp) {
    compiled.timestamp = locate(config, config.timestamp->field);
  }
  if (config.format == PayloadFormat::number) {
    if (config.sequence_field == kSequenceIsPayload) {
      compiled.sequence = FieldLocator{};  // a number payload has one field: itself
    }
  } else if (!config.sequence_field.empty()) {
    compiled.sequence = locate(config, config.sequence_field);
  }
  compile_tags(config, compiled);
  compiled.reads_message_properties = any_message_field(compiled);
  return compiled;
}

bool reads_message_properties(const std::vector<MappingConfig>& mappings) {
  return std::any_of(mappings.begin(), mappings.end(), [](const MappingConfig& m) {
    return compile_mapping(m).reads_message_properties;
  });
}

}  // namespace edgegw::mapping
