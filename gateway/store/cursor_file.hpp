#pragma once
// The cursor: the first offset Kafka has not acknowledged yet, and the log's end offset
// when it was written (so that offsets never go back even if every segment is deleted).
// 28 bytes with a CRC, kept in two slot files, "cursor.0" and "cursor.1", overwritten in
// place in turn (the older one each time): a torn write spoils one slot and the other
// still holds the previous cursor. Overwriting in place needs no new disk blocks, so the
// cursor can move, and acknowledged segments be deleted, even on a full disk (a
// write-and-rename would need a fresh block and could never free space again).
// See README.md, "Cursor".
//
// Called by the log's owner at open and by the reader thread on commit().

#include <cstdint>
#include <filesystem>
#include <string>

#include "edgegw/result.hpp"
#include "store/file_system.hpp"

namespace edgegw::store {

inline constexpr const char* kCursorSlotNames[2] = {"cursor.0", "cursor.1"};
// Written by earlier versions (replaced by rename); still read, removed once a slot is.
inline constexpr const char* kLegacyCursorFileName = "cursor";
inline constexpr const char* kLegacyCursorTempFileName = "cursor.tmp";

struct CursorState {
  std::uint64_t cursor = 0;
  std::uint64_t end_offset = 0;
};

struct CursorRead {
  // ok: the newest valid copy; missing: no cursor file at all; corrupt: none valid.
  enum class Status { ok, missing, corrupt } status = Status::missing;
  CursorState state;
  // For corrupt, what was wrong; for ok, a copy that was unusable (the cursor may then
  // be one commit old: re-send, never lose), for the log line.
  std::string problem;
};

CursorRead read_cursor_file(FileSystem& fs, const std::filesystem::path& directory);

struct PreparedCursorSlots {
  int next_slot = 0;     // the slot the first commit overwrites; alternate from there
  Status status = Ok{};  // the first failure writing a missing slot, if any
};

// Writes `state` into every slot that is missing or unusable, so that both exist before
// the disk can fill up, and removes a legacy `cursor` file once both are usable. Called
// at open; the caller then keeps track of which slot is older.
PreparedCursorSlots prepare_cursor_slots(FileSystem& fs, const std::filesystem::path& directory,
                                         const CursorState& state, bool durable);

// Overwrites `slot` in place. `durable` false skips the fsyncs (fsync policy "never").
Status write_cursor_slot(FileSystem& fs, const std::filesystem::path& directory, int slot,
                         const CursorState& state, bool durable);

}  // namespace edgegw::store
