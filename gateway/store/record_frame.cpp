#include "store/record_frame.hpp"

#include <bit>
#include <cstring>

#include "store/crc32c.hpp"

namespace edgegw::store {

static_assert(std::endian::native == std::endian::little,
              "the segment format is little-endian and written with memcpy");

namespace {

template <typename T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <typename T>
T get(const unsigned char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

}  // namespace

void encode_frame(std::string& out, std::uint64_t offset, std::int64_t append_time_ms,
                  Stream stream, std::string_view key, std::string_view payload) {
  const std::size_t start = out.size();
  const auto body_len = static_cast<std::uint32_t>(frame_size(key, payload) - kFramePrefixBytes);
  put<std::uint32_t>(out, 0);  // crc, filled in below
  put<std::uint32_t>(out, body_len);
  put<std::uint64_t>(out, offset);
  put<std::int64_t>(out, append_time_ms);
  put<std::uint8_t>(out, kFrameVersion);
  put<std::uint8_t>(out, static_cast<std::uint8_t>(stream));
  put<std::uint16_t>(out, static_cast<std::uint16_t>(key.size()));
  out.append(key);
  out.append(payload);
  const std::uint32_t crc = crc32c(out.data() + start + 4, out.size() - start - 4);
  std::memcpy(out.data() + start, &crc, sizeof(crc));
}

FrameHeader decode_header(const unsigned char* bytes) {
  FrameHeader h;
  h.crc = get<std::uint32_t>(bytes);
  h.body_len = get<std::uint32_t>(bytes + 4);
  h.offset = get<std::uint64_t>(bytes + 8);
  h.append_time_ms = get<std::int64_t>(bytes + 16);
  h.version = bytes[24];
  h.stream = bytes[25];
  h.key_len = get<std::uint16_t>(bytes + 26);
  return h;
}

bool header_plausible(const FrameHeader& header) {
  return header.version == kFrameVersion && stream_from_byte(header.stream).has_value() &&
         header.body_len >= kFrameHeaderBytes - kFramePrefixBytes &&
         header.frame_bytes() <= kMaxFrameBytes &&
         kFrameHeaderBytes + header.key_len <= header.frame_bytes();
}

bool frame_crc_ok(const unsigned char* frame, const FrameHeader& header) {
  return crc32c(frame + 4, header.frame_bytes() - 4) == header.crc;
}

}  // namespace edgegw::store
