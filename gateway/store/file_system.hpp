#pragma once
// The log's only door to the disk. Everything the log does to files goes through these
// two small interfaces, so that tests can inject the faults a real disk produces (short
// writes, ENOSPC, a failing fsync) without filling a real disk. posix_file_system() is
// the one the daemon uses.
//
// Errors come back as Error{"io_error", "<what> <path>: <strerror>"}; nothing throws.
//
// The buffer directory is private to the gateway (docs/security.md, "The buffer
// directory"): the POSIX implementation creates files 0600 and directories 0700, and
// open() refuses a symbolic link or anything but a regular file (unsafe_file), so that
// whoever can plant an entry there cannot make the log write through it into another
// file.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "edgegw/result.hpp"
#include "edgegw/store_errc.hpp"

namespace edgegw::store {

// An open file. pread/pwrite at explicit positions, so that one object may be used by
// several threads at once (the writer appends while the reader and the sync thread read
// and fsync); the object itself holds no mutable state besides the descriptor.
class File {
 public:
  File() = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  virtual ~File() = default;

  // May write fewer bytes than asked (as write(2) may): the caller loops.
  virtual Result<std::size_t> write_at(const void* data, std::size_t size,
                                       std::uint64_t position) = 0;
  // Returns fewer bytes than asked only at end of file.
  virtual Result<std::size_t> read_at(void* data, std::size_t size, std::uint64_t position) = 0;
  virtual Status truncate(std::uint64_t size) = 0;
  // Data (and the size) reach stable storage: fdatasync.
  virtual Status sync() = 0;
  virtual Result<std::uint64_t> size() = 0;
  // Takes an exclusive advisory lock on the file without waiting, held until the file is
  // closed (flock(2)): false when another open file holds it. A file system without other
  // processes (an in-memory one for tests or fuzzers) has nobody to exclude: the default
  // grants it.
  virtual Result<bool> try_lock() { return true; }
};

// Writes all of [data, data + size) at `position`, looping over short writes. A write
// that makes no progress is an io_error naming `what` (the file).
inline Status write_all_at(File& file, const void* data, std::size_t size, std::uint64_t position,
                           const std::string& what) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::size_t done = 0;
  while (done < size) {
    auto n = file.write_at(bytes + done, size - done, position + done);
    if (!n) {
      return n.error();
    }
    if (n.value() == 0) {
      return make_error(StoreErrc::io_error, "write to " + what + " made no progress");
    }
    done += n.value();
  }
  return Ok{};
}

enum class OpenMode { read_only, read_write_create };

// Who may touch a directory, as far as the log cares (see buffer_directory.hpp).
struct DirectoryInfo {
  bool is_directory = true;
  bool owned_by_us = true;    // its owner is the process's effective user
  std::uint32_t owner = 0;    // uid, for messages
  std::uint32_t mode = 0700;  // permission bits (07777)
};

class FileSystem {
 public:
  FileSystem() = default;
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;
  virtual ~FileSystem() = default;

  // Refuses (unsafe_file) a symbolic link or anything but a regular file; creates 0600.
  virtual Result<std::unique_ptr<File>> open(const std::filesystem::path& path, OpenMode mode) = 0;
  // Names (not paths) of the entries in `directory` that are not directories: regular
  // files, and symbolic links and special files, which open() then refuses.
  virtual Result<std::vector<std::string>> list(const std::filesystem::path& directory) = 0;
  virtual Status remove(const std::filesystem::path& path) = 0;
  // Atomically replaces `to` (rename(2)).
  virtual Status rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  // Makes creations, renames and removals in `directory` durable.
  virtual Status sync_directory(const std::filesystem::path& directory) = 0;
  // Creates the missing directories of the path, 0700.
  virtual Status create_directories(const std::filesystem::path& directory) = 0;
  // Owner and mode of `directory` (following a symbolic link: the configured path itself
  // is the operator's choice; its entries are what open() guards). The default, for file
  // systems without owners: a private directory of ours.
  virtual Result<DirectoryInfo> directory_info(const std::filesystem::path& directory) {
    (void)directory;
    return DirectoryInfo{};
  }
  // Takes the group's and others' permissions away (chmod 0700 of what the owner has).
  virtual Status make_private(const std::filesystem::path& directory) {
    (void)directory;
    return Ok{};
  }
};

// The real thing: POSIX calls, O_CLOEXEC, EINTR retried. Stateless and thread-safe.
std::shared_ptr<FileSystem> posix_file_system();

}  // namespace edgegw::store
