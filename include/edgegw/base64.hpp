#pragma once
// Base64 (RFC 4648, standard alphabet, padded): the dead letters' binary payloads and
// the model files' float32 weights. On OpenSSL's codec; this adds the strictness a
// decoder of files needs.

#include <optional>
#include <string>
#include <string_view>

namespace edgegw {

[[nodiscard]] std::string base64_encode(std::string_view bytes);

// The bytes, or nullopt unless `text` is canonical base64: a multiple of 4 characters of
// the alphabet, padding only at the end (no whitespace, no line breaks).
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

// The length of base64_encode's answer for `bytes` bytes.
[[nodiscard]] constexpr std::size_t base64_size(std::size_t bytes) {
  return 4 * ((bytes + 2) / 3);
}

}  // namespace edgegw
