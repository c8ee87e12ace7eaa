#include "unit/store/corruption_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

#include "store/record_frame.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store::testing {

std::map<std::uint64_t, RecordPlace> record_places(const std::filesystem::path& directory) {
  std::map<std::uint64_t, RecordPlace> places;
  for (const auto& name : segment_files(directory)) {
    const std::string bytes = read_file(directory / name);
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

std::string read_file(const std::filesystem::path& path) {
  std::string bytes(std::filesystem::file_size(path), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(in.gcount() == static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace edgegw::store::testing
