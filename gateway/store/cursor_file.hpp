#pragma once
// The cursor file: the first offset Kafka has not acknowledged yet, and the log's end
// offset when it was written (so that offsets never go back even if every segment is
// deleted). 28 bytes, replaced atomically: write "cursor.tmp", fsync, rename over
// "cursor", fsync the directory. See README.md, "Cursor".
//
// Called by the log's owner at open and by the reader thread on commit().

#include <cstdint>
#include <filesystem>
#include <string>

#include "edgegw/result.hpp"
#include "store/file_system.hpp"

namespace edgegw::store {

inline constexpr const char* kCursorFileName = "cursor";
inline constexpr const char* kCursorTempFileName = "cursor.tmp";

struct CursorState {
  std::uint64_t cursor = 0;
  std::uint64_t end_offset = 0;
};

struct CursorRead {
  enum class Status { ok, missing, corrupt } status = Status::missing;
  CursorState state;
  std::string problem;  // for corrupt: what was wrong, for the log line
};

CursorRead read_cursor_file(FileSystem& fs, const std::filesystem::path& directory);

// `durable` false skips both fsyncs (fsync policy "never"); the rename stays atomic.
Status write_cursor_file(FileSystem& fs, const std::filesystem::path& directory,
                         const CursorState& state, bool durable);

}  // namespace edgegw::store
