#include "models/float32_text.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace edgegw::models {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  return c == '/' ? 63 : -1;
}

}  // namespace

bool exactly_float32(const std::vector<double>& values) {
  for (double v : values) {
    if (!std::isnan(v) && static_cast<double>(static_cast<float>(v)) != v) {
      return false;
    }
  }
  return true;
}

std::string encode_float32(const std::vector<double>& values) {
  std::string bytes;
  bytes.reserve(values.size() * 4);
  for (double v : values) {
    const auto f = static_cast<float>(v);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    for (int i = 0; i < 4; ++i) {  // little-endian whatever the host
      bytes.push_back(static_cast<char>((bits >> (8 * i)) & 0xffU));
    }
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out.push_back(k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3fU] : '=');
    }
  }
  return out;
}

std::optional<std::vector<double>> decode_float32(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t group = 0;
    int padding = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      const bool last_group = i + 4 == text.size();
      if (c == '=' && last_group && k >= 2 && (k == 3 || text[i + 3] == '=')) {
        ++padding;
        group <<= 6;
        continue;
      }
      const int s = sextet(c);
      if (s < 0 || padding > 0) {
        return std::nullopt;
      }
      group = (group << 6) | static_cast<std::uint32_t>(s);
    }
    for (int k = 0; k < 3 - padding; ++k) {
      bytes.push_back(static_cast<char>((group >> (16 - 8 * k)) & 0xffU));
    }
  }
  if (bytes.size() % 4 != 0) {
    return std::nullopt;
  }
  std::vector<double> values;
  values.reserve(bytes.size() / 4);
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    std::uint32_t bits = 0;
    for (int k = 3; k >= 0; --k) {
      bits = (bits << 8) | static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
    }
    float f = 0.0F;
    std::memcpy(&f, &bits, sizeof f);
    values.push_back(static_cast<double>(f));
  }
  return values;
}

}  // namespace edgegw::models
