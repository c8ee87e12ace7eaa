#include "store/cursor_file.hpp"

#include <array>
#include <cstring>

#include "store/crc32c.hpp"

namespace edgegw::store {

namespace {

// Layout: magic[8] | u64 cursor | u64 end_offset | u32 crc32c of the first 24 bytes.
constexpr std::array<char, 8> kMagic = {'E', 'G', 'W', 'C', 'U', 'R', '0', '1'};
constexpr std::size_t kCursorFileBytes = 28;

}  // namespace

CursorRead read_cursor_file(FileSystem& fs, const std::filesystem::path& directory) {
  CursorRead result;
  auto names = fs.list(directory);
  if (!names) {
    result.status = CursorRead::Status::corrupt;
    result.problem = names.error().message;
    return result;
  }
  bool present = false;
  for (const auto& name : names.value()) {
    present = present || name == kCursorFileName;
  }
  if (!present) {
    result.status = CursorRead::Status::missing;
    return result;
  }
  result.status = CursorRead::Status::corrupt;
  auto file = fs.open(directory / kCursorFileName, OpenMode::read_only);
  if (!file) {
    result.problem = file.error().message;
    return result;
  }
  std::array<unsigned char, kCursorFileBytes + 1> bytes{};
  auto got = file.value()->read_at(bytes.data(), bytes.size(), 0);
  if (!got) {
    result.problem = got.error().message;
    return result;
  }
  if (got.value() != kCursorFileBytes) {
    result.problem = "size is " + std::to_string(got.value()) + " bytes, expected 28";
    return result;
  }
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    result.problem = "bad magic";
    return result;
  }
  std::uint32_t crc = 0;
  std::memcpy(&crc, bytes.data() + 24, sizeof(crc));
  if (crc != crc32c(bytes.data(), 24)) {
    result.problem = "checksum mismatch";
    return result;
  }
  std::memcpy(&result.state.cursor, bytes.data() + 8, 8);
  std::memcpy(&result.state.end_offset, bytes.data() + 16, 8);
  if (result.state.cursor > result.state.end_offset) {
    result.problem = "cursor beyond end offset";
    return result;
  }
  result.status = CursorRead::Status::ok;
  return result;
}

Status write_cursor_file(FileSystem& fs, const std::filesystem::path& directory,
                         const CursorState& state, bool durable) {
  std::array<unsigned char, kCursorFileBytes> bytes{};
  std::memcpy(bytes.data(), kMagic.data(), kMagic.size());
  std::memcpy(bytes.data() + 8, &state.cursor, 8);
  std::memcpy(bytes.data() + 16, &state.end_offset, 8);
  const std::uint32_t crc = crc32c(bytes.data(), 24);
  std::memcpy(bytes.data() + 24, &crc, sizeof(crc));

  const auto temp = directory / kCursorTempFileName;
  {
    auto file = fs.open(temp, OpenMode::read_write_create);
    if (!file) {
      return file.error();
    }
    if (auto st = file.value()->truncate(0); !st) {
      return st.error();
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
      auto n = file.value()->write_at(bytes.data() + done, bytes.size() - done, done);
      if (!n) {
        return n.error();
      }
      if (n.value() == 0) {
        return make_error("io_error", "write " + temp.string() + ": no progress");
      }
      done += n.value();
    }
    if (durable) {
      if (auto st = file.value()->sync(); !st) {
        return st.error();
      }
    }
  }
  if (auto st = fs.rename(temp, directory / kCursorFileName); !st) {
    return st.error();
  }
  if (durable) {
    return fs.sync_directory(directory);
  }
  return Ok{};
}

}  // namespace edgegw::store
