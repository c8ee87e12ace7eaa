#include "edgegw/crc32c.hpp"

#include <isa-l/crc.h>

#include <climits>

namespace edgegw {

std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t previous) {
  // isa-l's crc32_iscsi is the raw register update: the standard CRC32C starts from
  // ~0 and inverts the result, so the inversions are applied here (and undone on the
  // way in, which makes chaining work). It takes an int length and a non-const pointer
  // although it only reads, hence the loop and the cast.
  auto* bytes = static_cast<unsigned char*>(const_cast<void*>(data));
  std::uint32_t raw = ~previous;
  while (size > 0) {
    const std::size_t chunk = size > static_cast<std::size_t>(INT_MAX) ? INT_MAX : size;
    raw = crc32_iscsi(bytes, static_cast<int>(chunk), raw);
    bytes += chunk;
    size -= chunk;
  }
  return ~raw;
}

}  // namespace edgegw
