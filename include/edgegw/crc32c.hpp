#pragma once
// CRC32C (Castagnoli, as in iSCSI, ext4 and Kafka record batches) over a byte range.
// Shared by the durable log (it frames every record with it) and the analytics
// checkpoint (it guards the whole file); isa-l supplies the SIMD implementation.

#include <cstddef>
#include <cstdint>

namespace edgegw {

// The standard CRC32C of [data, data+size): crc32c("123456789") == 0xE3069283. Pass the
// previous result as `previous` to continue over a second range, so that
// crc32c(b, crc32c(a)) == crc32c(a followed by b).
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t previous = 0);

}  // namespace edgegw
