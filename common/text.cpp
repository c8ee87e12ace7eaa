#include "edgegw/text.hpp"

#include <fmt/format.h>

namespace edgegw {
namespace {

// The length of the UTF-8 sequence that starts at text[i], 0 when none is valid there.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t extra = 0;
  unsigned min_code = 0;
  unsigned code = 0;
  if (c < 0x80) {
    return 1;
  }
  if ((c & 0xE0U) == 0xC0U) {
    extra = 1, min_code = 0x80, code = c & 0x1FU;
  } else if ((c & 0xF0U) == 0xE0U) {
    extra = 2, min_code = 0x800, code = c & 0x0FU;
  } else if ((c & 0xF8U) == 0xF0U) {
    extra = 3, min_code = 0x10000, code = c & 0x07U;
  } else {
    return 0;
  }
  if (i + extra >= text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0U) != 0x80U) {
      return 0;
    }
    code = (code << 6U) | (cc & 0x3FU);
  }
  if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return 0;  // overlong, beyond Unicode, or a surrogate
  }
  return extra + 1;
}

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      return false;
    }
    i += n;
  }
  return true;
}

bool has_control_characters(std::string_view text) {
  for (const char c : text) {
    if (is_control(static_cast<unsigned char>(c))) {
      return true;
    }
  }
  return false;
}

std::string printable(std::string_view text, std::size_t max_bytes) {
  const bool utf8 = is_valid_utf8(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < max_bytes) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (is_control(c) || (!utf8 && c >= 0x80)) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else if (c == '\\') {
      out += "\\\\";
      ++i;
    } else {
      const std::size_t n = utf8 ? utf8_sequence_length(text, i) : 1;
      out.append(text.substr(i, n));  // whole characters only
      i += n;
    }
  }
  if (i < text.size()) {
    out += fmt::format("...(+{} bytes)", text.size() - i);
  }
  return out;
}

}  // namespace edgegw
