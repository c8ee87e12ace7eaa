#pragma once
// How one record is laid out in a segment file (see README.md, "Record framing").
// All integers are little-endian; the gateway only targets little-endian hosts
// (x86-64, arm64), which a static_assert in record_frame.cpp checks.
//
//   0  u32 crc32c      CRC32C of bytes [4, frame end): the length and everything after
//   4  u32 body_len    bytes after this field = 20 + key_len + payload_len
//   8  u64 offset
//  16  i64 append_time_ms
//  24  u8  version     kFrameVersion
//  25  u8  stream      edgegw::Stream
//  26  u16 key_len
//  28  key bytes, then payload bytes

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "edgegw/stream.hpp"

namespace edgegw::store {

inline constexpr std::size_t kFrameHeaderBytes = 28;
inline constexpr std::size_t kFramePrefixBytes = 8;  // crc + body_len: not part of the body
inline constexpr std::size_t kMinFrameBytes = kFrameHeaderBytes;  // empty key and payload
// No frame is larger. A length field above it is corruption, so that a flipped bit in a
// length never turns into a huge allocation.
inline constexpr std::size_t kMaxFrameBytes = 16U << 20;
inline constexpr std::size_t kMaxKeyBytes = 0xFFFF;
inline constexpr std::uint8_t kFrameVersion = 1;

struct FrameHeader {
  std::uint32_t crc = 0;
  std::uint32_t body_len = 0;
  std::uint64_t offset = 0;
  std::int64_t append_time_ms = 0;
  std::uint8_t version = 0;
  std::uint8_t stream = 0;
  std::uint16_t key_len = 0;

  [[nodiscard]] std::size_t frame_bytes() const { return kFramePrefixBytes + body_len; }
  [[nodiscard]] std::size_t payload_len() const {
    return frame_bytes() - kFrameHeaderBytes - key_len;
  }
};

inline std::size_t frame_size(std::string_view key, std::string_view payload) {
  return kFrameHeaderBytes + key.size() + payload.size();
}

// Appends the frame to `out` (which the writer reuses, so that steady state allocates
// nothing). The caller has checked the sizes against kMaxKeyBytes and kMaxFrameBytes.
void encode_frame(std::string& out, std::uint64_t offset, std::int64_t append_time_ms,
                  Stream stream, std::string_view key, std::string_view payload);

// Reads the header fields from at least kFrameHeaderBytes bytes.
FrameHeader decode_header(const unsigned char* bytes);

// Everything that can be checked without the body: known version and stream, lengths
// that fit together and stay below kMaxFrameBytes.
bool header_plausible(const FrameHeader& header);

// `frame` holds header.frame_bytes() bytes starting at the header.
bool frame_crc_ok(const unsigned char* frame, const FrameHeader& header);

inline std::string_view frame_key(const unsigned char* frame, const FrameHeader& header) {
  return {reinterpret_cast<const char*>(frame + kFrameHeaderBytes), header.key_len};
}
inline std::string_view frame_payload(const unsigned char* frame, const FrameHeader& header) {
  return {reinterpret_cast<const char*>(frame + kFrameHeaderBytes + header.key_len),
          header.payload_len()};
}

}  // namespace edgegw::store
