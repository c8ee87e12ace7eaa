#include "records/record_key.hpp"

#include <fmt/format.h>

namespace edgegw::records {

Result<RecordKey> RecordKey::parse(std::string_view key_template) {
  RecordKey key;
  std::size_t pos = 0;
  while (pos < key_template.size()) {
    const std::size_t open = key_template.find('{', pos);
    if (open == std::string_view::npos) {
      key.parts_.push_back({false, std::string(key_template.substr(pos))});
      break;
    }
    if (open > pos) {
      key.parts_.push_back({false, std::string(key_template.substr(pos, open - pos))});
    }
    const std::size_t close = key_template.find('}', open);
    if (close == std::string_view::npos || close == open + 1) {
      return make_error(
          std::make_error_code(std::errc::invalid_argument),
          fmt::format("key template '{}' has an unclosed or empty {{}}", key_template));
    }
    key.parts_.push_back({true, std::string(key_template.substr(open + 1, close - open - 1))});
    pos = close + 1;
  }
  return key;
}

std::string RecordKey::render(const Sample& sample) const {
  std::string out;
  for (const Part& part : parts_) {
    if (!part.placeholder) {
      out += part.text;
    } else if (part.text == "device") {
      out += sample.device;
    } else {
      for (const auto& [tag, value] : sample.tags) {
        if (tag == part.text) {
          out += value;
          break;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> RecordKey::placeholders() const {
  std::vector<std::string> names;
  for (const Part& part : parts_) {
    if (part.placeholder) {
      names.push_back(part.text);
    }
  }
  return names;
}

}  // namespace edgegw::records
