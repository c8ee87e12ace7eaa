#include "unit/store/corruption_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include "store/record_frame.hpp"
#include "support/child_process.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store::testing {

std::map<std::uint64_t, RecordPlace> record_places(const std::filesystem::path& directory) {
  std::map<std::uint64_t, RecordPlace> places;
  for (const auto& name : segment_files(directory)) {
    const std::string bytes = edgegw::test::read_file(directory / name);
    std::uint64_t pos = 0;
    while (pos + kFrameHeaderBytes <= bytes.size()) {
      const auto* frame = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
      const FrameHeader header = decode_header(frame);
      REQUIRE(header_plausible(header));
      REQUIRE(frame_crc_ok(frame, header));
      places[header.offset] = RecordPlace{name, pos, pos + header.frame_bytes()};
      pos += header.frame_bytes();
    }
    REQUIRE(pos == bytes.size());
  }
  return places;
}

std::string crafted_frames(std::uint64_t offset, std::size_t bytes) {
  std::string out;
  std::string header;
  for (std::size_t pos = 0; pos + kFrameHeaderBytes <= bytes; pos += kFrameHeaderBytes) {
    header.clear();
    encode_frame(header, offset, 1, Stream::telemetry, "", "");
    const auto claimed = static_cast<std::uint32_t>(
        std::min<std::size_t>(bytes - pos, kMaxFrameBytes) - kFramePrefixBytes);
    std::memcpy(header.data() + 4, &claimed, sizeof(claimed));  // body_len
    header[0] = static_cast<char>(header[0] ^ 0x5a);            // a CRC that cannot match
    out += header;
  }
  out.resize(bytes, '\x33');
  return out;
}

}  // namespace edgegw::store::testing
