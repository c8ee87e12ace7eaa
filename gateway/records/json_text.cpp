#include "records/json_text.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>

#include "records/record_json.hpp"

namespace edgegw::records {
namespace {

bool is_plain(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {  // char may be signed: <0 too
      return false;
    }
  }
  return true;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  if (is_plain(text)) {
    out += '"';
    out += text;
    out += '"';
  } else {
    out += dump_record(nlohmann::json(text));
  }
}

void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";  // what nlohmann's dump writes: JSON has no NaN or infinity
    return;
  }
  // The function nlohmann's dump formats a double with (same bytes), without building a
  // document and a string per number: a telemetry record has one per reading.
  std::array<char, 64> digits{};
  char* end = nlohmann::detail::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), end);
}

void append_json_integer(std::string& out, std::int64_t value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace edgegw::records
