#pragma once
// Why an operation of the durable log (log.hpp) or of the store's files failed, for the
// callers that act on it: the pipeline waits out a full log, drops old segments when the
// disk is full, and gives up on a record that can never fit.

#include <system_error>

namespace edgegw::store {

enum class StoreErrc {
  io_error = 1,      // the filesystem failed; the message has the path and the OS's words
  no_space,          // the filesystem is full (ENOSPC, EDQUOT)
  log_full,          // the log holds buffer.max_bytes
  record_too_large,  // larger than a segment: it can never be stored
  bad_offset,        // an offset beyond the log's end
  segment_gone,      // a segment was deleted while being read (retention)
  not_found,         // the file does not exist
  too_large,         // the file is larger than its reader accepts
  unsafe_file,       // a symbolic link or not a regular file where the log expects its own file
  unsafe_directory,  // the buffer directory is writable by others, or owned by another user
  locked,            // another process holds the buffer directory's lock
};

const std::error_category& store_category();

inline std::error_code make_error_code(StoreErrc errc) {
  return {static_cast<int>(errc), store_category()};
}

}  // namespace edgegw::store

template <>
struct std::is_error_code_enum<edgegw::store::StoreErrc> : std::true_type {};
