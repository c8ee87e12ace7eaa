#pragma once
// The buffer directory is the gateway's alone: made private before the log reads a byte
// of it, and locked for as long as the log is open, so that a second gateway started on
// the same directory stops at once instead of appending to the same segments. See
// docs/security.md, "The buffer directory".
//
// Called by the log's owner at open, before recovery; throws nothing (the log turns the
// errors into LogOpenError).

#include <filesystem>
#include <memory>

#include "edgegw/result.hpp"
#include "store/file_system.hpp"

namespace edgegw::store {

inline constexpr const char* kLockFileName = "lock";

// Creates the directory (0700) if it is missing. An existing one must be a directory
// owned by the gateway's user and writable by nobody else (unsafe_directory otherwise:
// someone else could already have planted files in it); one that others may only read
// or enter, as earlier versions created it, is made private (0700) with a warning.
Status secure_buffer_directory(FileSystem& fs, const std::filesystem::path& directory);

// Takes the exclusive lock on `<directory>/lock` and writes this process's pid into it
// (for the message another instance gets); the lock lasts as long as the returned file
// is open. Error `locked`: "buffer directory X is in use by another edgegw (pid N)".
Result<std::unique_ptr<File>> lock_buffer_directory(FileSystem& fs,
                                                    const std::filesystem::path& directory);

}  // namespace edgegw::store
