#include "store/cursor_file.hpp"

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "store/crc32c.hpp"

namespace edgegw::store {

namespace {

// Layout: magic[8] | u64 cursor | u64 end_offset | u32 crc32c of the first 24 bytes.
constexpr std::array<char, 8> kMagic = {'E', 'G', 'W', 'C', 'U', 'R', '0', '1'};
constexpr std::size_t kCursorFileBytes = 28;

// One cursor copy: `name` in `directory`.
CursorRead read_copy(FileSystem& fs, const std::filesystem::path& directory,
                     const std::string& name) {
  CursorRead result;
  result.status = CursorRead::Status::corrupt;
  auto file = fs.open(directory / name, OpenMode::read_only);
  if (!file) {
    result.problem = name + ": " + file.error().message;
    return result;
  }
  std::array<unsigned char, kCursorFileBytes + 1> bytes{};
  auto got = file.value()->read_at(bytes.data(), bytes.size(), 0);
  if (!got) {
    result.problem = name + ": " + got.error().message;
    return result;
  }
  if (got.value() != kCursorFileBytes) {
    result.problem = name + ": size is " + std::to_string(got.value()) + " bytes, expected 28";
    return result;
  }
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    result.problem = name + ": bad magic";
    return result;
  }
  std::uint32_t crc = 0;
  std::memcpy(&crc, bytes.data() + 24, sizeof(crc));
  if (crc != crc32c(bytes.data(), 24)) {
    result.problem = name + ": checksum mismatch";
    return result;
  }
  std::memcpy(&result.state.cursor, bytes.data() + 8, 8);
  std::memcpy(&result.state.end_offset, bytes.data() + 16, 8);
  if (result.state.cursor > result.state.end_offset) {
    result.problem = name + ": cursor beyond end offset";
    return result;
  }
  result.status = CursorRead::Status::ok;
  return result;
}

std::vector<std::string> present_copies(FileSystem& fs, const std::filesystem::path& directory,
                                        std::string& problem) {
  std::vector<std::string> present;
  auto names = fs.list(directory);
  if (!names) {
    problem = names.error().message;
    return present;
  }
  for (const auto& name : names.value()) {
    if (name == kCursorSlotNames[0] || name == kCursorSlotNames[1] ||
        name == kLegacyCursorFileName) {
      present.push_back(name);
    }
  }
  return present;
}

}  // namespace

CursorRead read_cursor_file(FileSystem& fs, const std::filesystem::path& directory) {
  CursorRead best;
  const std::vector<std::string> present = present_copies(fs, directory, best.problem);
  if (!best.problem.empty()) {
    best.status = CursorRead::Status::corrupt;
    return best;
  }
  std::string problems;
  for (const std::string& name : present) {
    CursorRead copy = read_copy(fs, directory, name);
    if (copy.status != CursorRead::Status::ok) {
      problems += (problems.empty() ? "" : "; ") + copy.problem;
    } else if (best.status != CursorRead::Status::ok || copy.state.cursor > best.state.cursor) {
      best = copy;
    }
  }
  if (best.status != CursorRead::Status::ok && !present.empty()) {
    best.status = CursorRead::Status::corrupt;
  }
  best.problem = problems;
  return best;
}

namespace {

Status write_slot(FileSystem& fs, const std::filesystem::path& directory, int slot,
                  const CursorState& state, bool durable) {
  std::array<unsigned char, kCursorFileBytes> bytes{};
  std::memcpy(bytes.data(), kMagic.data(), kMagic.size());
  std::memcpy(bytes.data() + 8, &state.cursor, 8);
  std::memcpy(bytes.data() + 16, &state.end_offset, 8);
  const std::uint32_t crc = crc32c(bytes.data(), 24);
  std::memcpy(bytes.data() + 24, &crc, sizeof(crc));

  const auto path = directory / kCursorSlotNames[slot];
  auto file = fs.open(path, OpenMode::read_write_create);
  if (!file) {
    return file.error();
  }
  auto size = file.value()->size();
  if (!size) {
    return size.error();
  }
  const bool created = size.value() == 0;
  if (auto st = write_all_at(*file.value(), bytes.data(), bytes.size(), 0, path.string()); !st) {
    return st.error();
  }
  if (durable) {
    if (auto st = file.value()->sync(); !st) {
      return st.error();
    }
    if (created) {
      if (auto st = fs.sync_directory(directory); !st) {
        return st.error();
      }
    }
  }
  return Ok{};
}

}  // namespace

PreparedCursorSlots prepare_cursor_slots(FileSystem& fs, const std::filesystem::path& directory,
                                         const CursorState& state, bool durable) {
  PreparedCursorSlots prepared;
  bool usable[2] = {false, false};
  std::uint64_t cursors[2] = {0, 0};
  for (int slot = 0; slot < 2; ++slot) {
    const CursorRead copy = read_copy(fs, directory, kCursorSlotNames[slot]);
    usable[slot] = copy.status == CursorRead::Status::ok;
    cursors[slot] = copy.state.cursor;
    if (!usable[slot]) {
      if (Status written = write_slot(fs, directory, slot, state, durable); written) {
        usable[slot] = true;
        cursors[slot] = state.cursor;
      } else if (prepared.status) {
        prepared.status = written;
      }
    }
  }
  // The first commit overwrites a slot that is still unusable, else the older one.
  if (!usable[0] || !usable[1]) {
    prepared.next_slot = usable[0] ? 1 : 0;
  } else {
    prepared.next_slot = cursors[0] <= cursors[1] ? 0 : 1;
    (void)fs.remove(directory / kLegacyCursorFileName);  // superseded; frees its block
  }
  return prepared;
}

Status write_cursor_slot(FileSystem& fs, const std::filesystem::path& directory, int slot,
                         const CursorState& state, bool durable) {
  return write_slot(fs, directory, slot, state, durable);
}

}  // namespace edgegw::store
