#include "mapping/json_path.hpp"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

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

const nlohmann::json* JsonPath::find(const nlohmann::json& root) const {
  const nlohmann::json* node = &root;
  for (const Step& step : steps_) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (!node->is_object()) {
        return nullptr;
      }
      const auto it = node->find(*key);
      if (it == node->end()) {
        return nullptr;
      }
      node = &*it;
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      if (!node->is_array() || index >= node->size()) {
        return nullptr;
      }
      node = &(*node)[index];
    }
  }
  return node;
}

}  // namespace edgegw::mapping
