// The store's frame decoder: header fields, plausibility and CRC over arbitrary bytes.
// A frame that passes every check must re-encode to exactly the same bytes.

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_target.hpp"
#include "store/record_frame.hpp"

using namespace edgegw::store;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < kFrameHeaderBytes) {
    return 0;
  }
  // A copy exactly as long as the input, so that the sanitizer sees any read past it.
  const std::vector<unsigned char> bytes(data, data + size);
  const FrameHeader header = decode_header(bytes.data());
  if (!header_plausible(header) || header.frame_bytes() > bytes.size()) {
    return 0;
  }
  if (!frame_crc_ok(bytes.data(), header)) {
    return 0;
  }
  const std::string key(frame_key(bytes.data(), header));
  const std::string payload(frame_payload(bytes.data(), header));
  std::string again;
  encode_frame(again, header.offset, header.append_time_ms,
               static_cast<edgegw::Stream>(header.stream), key, payload);
  if (again.size() != header.frame_bytes() ||
      std::memcmp(again.data(), bytes.data(), again.size()) != 0) {
    std::abort();
  }
  return 0;
}
