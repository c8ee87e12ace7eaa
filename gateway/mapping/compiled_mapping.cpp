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

}  // namespace

Result<FieldLocator> locate_field(const MappingConfig& config, const std::string& field) {
  FieldLocator locator;
  if (config.format == PayloadFormat::json) {
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
  CompiledMapping compiled{&config, std::move(topic).value(), {}, std::nullopt, std::nullopt};
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
  return compiled;
}

}  // namespace edgegw::mapping
