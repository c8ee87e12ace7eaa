#include "mapping/payload_fields.hpp"

#include <fmt/format.h>

#include <charconv>

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
      document_ = nlohmann::json::parse(payload.begin(), payload.end(), nullptr,
                                        /*allow_exceptions=*/false);
      if (document_.is_discarded()) {
        return make_error(MappingErrc::decode_error, "payload is not valid JSON");
      }
      return Ok{};
    case PayloadFormat::csv:
      return split_csv(payload, config.csv_delimiter, config.csv_columns.size(), columns_);
    case PayloadFormat::number:
      if (!parse_number(payload, number_)) {
        return make_error(MappingErrc::decode_error, "payload is not a number");
      }
      return Ok{};
  }
  return make_error(MappingErrc::decode_error, "unknown payload format");
}

FieldValue PayloadFields::get(const FieldLocator& locator) const {
  FieldValue value;
  switch (format_) {
    case PayloadFormat::json: {
      const nlohmann::json* node = locator.json ? locator.json->find(document_) : nullptr;
      if (node == nullptr || node->is_null()) {
        return value;
      }
      if (node->is_number()) {
        value.kind = FieldValue::Kind::number;
        value.number = node->get<double>();
      } else if (node->is_string()) {
        value.kind = FieldValue::Kind::text;
        value.text = node->get_ref<const std::string&>();
      } else {
        value.kind = FieldValue::Kind::other;
        value.type_name = node->type_name();
      }
      return value;
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
  }
  return value;
}

}  // namespace edgegw::mapping
