#include "mapping/payload_fields.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstring>

#include "edgegw/csv.hpp"
#include "mapping/mapping_errc.hpp"

namespace edgegw::mapping {
namespace {

std::string_view trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

Status split_csv(std::string_view payload, char delimiter, std::size_t expected,
                 std::vector<std::string_view>& columns) {
  columns.clear();  // a payload that fails here must not leave the last one's columns
  const std::string_view line = trim(payload);
  if (line.find('\n') != std::string_view::npos) {
    return make_error(MappingErrc::decode_error, "a csv payload must be a single line");
  }
  split_fields(line, delimiter, columns);
  for (std::string_view& column : columns) {
    column = trim(column);  // devices pad columns ("1, 2"); a blank column is missing
  }
  if (columns.size() != expected) {
    return make_error(MappingErrc::decode_error,
                      fmt::format("csv payload has {} columns, the mapping "
                                  "names {}",
                                  columns.size(), expected));
  }
  return Ok{};
}

// What the mapper needs to know of a JSON value: a number, a text, or which other kind
// (for the dead letter's reason). A JSON null is a missing field.
FieldValue json_field(simdjson::dom::element node) {
  FieldValue value;
  switch (node.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return value;
    case simdjson::dom::element_type::INT64:
      value.kind = FieldValue::Kind::number;
      value.number = static_cast<double>(node.get_int64().value_unsafe());
      return value;
    case simdjson::dom::element_type::UINT64:
      value.kind = FieldValue::Kind::number;
      value.number = static_cast<double>(node.get_uint64().value_unsafe());
      return value;
    case simdjson::dom::element_type::DOUBLE:
      value.kind = FieldValue::Kind::number;
      value.number = node.get_double().value_unsafe();
      return value;
    case simdjson::dom::element_type::STRING:
      value.kind = FieldValue::Kind::text;
      value.text = node.get_string().value_unsafe();
      return value;
    case simdjson::dom::element_type::BOOL:
      value.type_name = "boolean";
      break;
    case simdjson::dom::element_type::ARRAY:
      value.type_name = "array";
      break;
    case simdjson::dom::element_type::OBJECT:
      value.type_name = "object";
      break;
  }
  value.kind = FieldValue::Kind::other;
  return value;
}

FieldValue sparkplug_field(const sparkplug::MetricValue& metric) {
  FieldValue value;
  switch (metric.kind) {
    case sparkplug::MetricValue::Kind::number:
      value.kind = FieldValue::Kind::number;
      value.number = metric.number;
      break;
    case sparkplug::MetricValue::Kind::text:
      value.kind = FieldValue::Kind::text;
      value.text = metric.text;
      break;
    case sparkplug::MetricValue::Kind::other:
      value.kind = FieldValue::Kind::other;
      value.type_name = metric.type_name;
      break;
    case sparkplug::MetricValue::Kind::null:
      break;  // a null metric is a missing reading
  }
  return value;
}

}  // namespace

bool parse_number(std::string_view text, double& out) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return false;
  }
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

Status PayloadFields::decode(PayloadFormat format, const MappingConfig& config,
                             std::string_view payload) {
  format_ = format;
  switch (format) {
    case PayloadFormat::json:
      return parse_json(payload);
    case PayloadFormat::csv:
      return split_csv(payload, config.csv_delimiter, config.csv_columns.size(), columns_);
    case PayloadFormat::number:
      if (!parse_number(payload, number_)) {
        return make_error(MappingErrc::decode_error, "payload is not a number");
      }
      return Ok{};
    case PayloadFormat::sparkplug:
      break;  // decoded with its topic: use_sparkplug()
  }
  return make_error(MappingErrc::decode_error, "unknown payload format");
}

void PayloadFields::use_sparkplug(const std::vector<sparkplug::Metric>& metrics) {
  format_ = PayloadFormat::sparkplug;
  metrics_ = &metrics;
}

Status PayloadFields::parse_json(std::string_view payload) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy, in a
  // buffer kept between messages, rather than let it allocate one per message.
  if (padded_.size() < payload.size() + simdjson::SIMDJSON_PADDING) {
    padded_.resize(payload.size() + simdjson::SIMDJSON_PADDING);
  }
  if (!payload.empty()) {  // an empty payload's data() may be null, which memcpy must not get
    std::memcpy(padded_.data(), payload.data(), payload.size());
  }
  const simdjson::error_code error =
      parser_.parse(padded_.data(), payload.size(), /*realloc_if_needed=*/false).get(document_);
  if (error != simdjson::SUCCESS) {
    return make_error(MappingErrc::decode_error, fmt::format("payload is not valid JSON ({})",
                                                             simdjson::error_message(error)));
  }
  return Ok{};
}

FieldValue PayloadFields::get(const FieldLocator& locator) const {
  FieldValue value;
  switch (format_) {
    case PayloadFormat::json: {
      simdjson::dom::element node;
      if (!locator.json || !locator.json->find(document_, node)) {
        return value;
      }
      return json_field(node);
    }
    case PayloadFormat::csv:
      if (locator.csv_column < columns_.size() && !columns_[locator.csv_column].empty()) {
        value.kind = FieldValue::Kind::text;
        value.text = columns_[locator.csv_column];
      }
      return value;
    case PayloadFormat::number:
      value.kind = FieldValue::Kind::number;
      value.number = number_;
      return value;
    case PayloadFormat::sparkplug:
      for (const sparkplug::Metric& metric : *metrics_) {
        if (metric.name == locator.metric) {
          return sparkplug_field(metric.value);
        }
      }
      return value;
  }
  return value;
}

}  // namespace edgegw::mapping
