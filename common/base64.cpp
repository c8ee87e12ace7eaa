#include "edgegw/base64.hpp"

#include <openssl/evp.h>

namespace edgegw {

std::string base64_encode(std::string_view bytes) {
  std::string out(base64_size(bytes.size()), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string bytes(text.size() / 4 * 3, '\0');
  // EVP_DecodeBlock skips leading and trailing whitespace and counts padding as zero
  // bytes: trim the padding's bytes, then accept only text that re-encodes to itself.
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) {
    return std::nullopt;
  }
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  bytes.resize(static_cast<std::size_t>(written) - padding);
  if (base64_encode(bytes) != text) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace edgegw
