#include "store/crc32c.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "store/record_frame.hpp"

namespace edgegw::store {

TEST_CASE("crc32c matches the standard check value", "[unit]") {
  const std::string check = "123456789";
  CHECK(crc32c(check.data(), check.size()) == 0xE3069283U);
  CHECK(crc32c(nullptr, 0) == 0U);
}

TEST_CASE("crc32c continues over a second range", "[unit]") {
  const std::string all = "edge gateway durable log";
  const auto first = crc32c(all.data(), 10);
  CHECK(crc32c(all.data() + 10, all.size() - 10, first) == crc32c(all.data(), all.size()));
}

TEST_CASE("a frame decodes to what was encoded and its crc detects a flipped bit", "[unit]") {
  std::string frame;
  encode_frame(frame, 42, 1700000000123, Stream::alerts, "pump-7", "{\"x\":1}");
  REQUIRE(frame.size() == frame_size("pump-7", "{\"x\":1}"));
  const auto* bytes = reinterpret_cast<const unsigned char*>(frame.data());
  const FrameHeader header = decode_header(bytes);
  CHECK(header.offset == 42);
  CHECK(header.append_time_ms == 1700000000123);
  CHECK(header.stream == static_cast<std::uint8_t>(Stream::alerts));
  CHECK(header_plausible(header));
  CHECK(frame_crc_ok(bytes, header));
  CHECK(frame_key(bytes, header) == "pump-7");
  CHECK(frame_payload(bytes, header) == "{\"x\":1}");

  frame[frame.size() - 1] ^= 0x10;
  CHECK_FALSE(frame_crc_ok(reinterpret_cast<const unsigned char*>(frame.data()), header));
}

}  // namespace edgegw::store
