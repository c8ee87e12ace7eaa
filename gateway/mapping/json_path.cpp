#include "mapping/json_path.hpp"

#include <fmt/format.h>

#include <charconv>

#include "mapping/mapping_errc.hpp"

namespace edgegw::mapping {

Result<JsonPath> JsonPath::parse(std::string_view text) {
  JsonPath path;
  path.text_ = std::string(text);
  std::size_t i = 0;
  auto bad = [&](std::string_view why) {
    return make_error(MappingErrc::bad_field_path, fmt::format("field path '{}': {}", text, why));
  };
  while (i < text.size()) {
    if (text[i] == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) {
        return bad("'[' without ']'");
      }
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(text.data() + i + 1, text.data() + close, index);
      if (ec != std::errc() || ptr != text.data() + close) {
        return bad("an array index must be a whole number");
      }
      path.steps_.emplace_back(index);
      i = close + 1;
      if (i < text.size() && text[i] == '.') {
        ++i;
      }
      continue;
    }
    const std::size_t end = text.find_first_of(".[", i);
    const std::size_t stop = end == std::string_view::npos ? text.size() : end;
    if (stop == i) {
      return bad("empty field name");
    }
    path.steps_.emplace_back(std::string(text.substr(i, stop - i)));
    i = stop;
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (i == text.size()) {
        return bad("ends with '.'");
      }
    }
  }
  if (path.steps_.empty()) {
    return bad("empty");
  }
  return path;
}

namespace {

// The value of `key` in `object`; the last one when the key repeats.
bool find_key(simdjson::dom::object object, std::string_view key, simdjson::dom::element& value) {
  bool found = false;
  for (const simdjson::dom::key_value_pair field : object) {
    if (field.key == key) {
      value = field.value;
      found = true;
    }
  }
  return found;
}

}  // namespace

bool JsonPath::find(simdjson::dom::element root, simdjson::dom::element& node) const {
  node = root;
  for (const Step& step : steps_) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      simdjson::dom::object object;
      if (node.get(object) != simdjson::SUCCESS || !find_key(object, *key, node)) {
        return false;
      }
    } else {
      simdjson::dom::array array;
      if (node.get(array) != simdjson::SUCCESS ||
          array.at(std::get<std::size_t>(step)).get(node) != simdjson::SUCCESS) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace edgegw::mapping
