#include "models/float32_text.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "edgegw/base64.hpp"

namespace edgegw::models {

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
  return base64_encode(bytes);
}

std::optional<std::vector<double>> decode_float32(std::string_view text) {
  const std::optional<std::string> bytes = base64_decode(text);
  if (!bytes || bytes->size() % 4 != 0) {
    return std::nullopt;
  }
  std::vector<double> values;
  values.reserve(bytes->size() / 4);
  for (std::size_t i = 0; i < bytes->size(); i += 4) {
    std::uint32_t bits = 0;
    for (int k = 3; k >= 0; --k) {
      bits = (bits << 8) | static_cast<unsigned char>((*bytes)[i + static_cast<std::size_t>(k)]);
    }
    float f = 0.0F;
    std::memcpy(&f, &bits, sizeof f);
    values.push_back(static_cast<double>(f));
  }
  return values;
}

}  // namespace edgegw::models
