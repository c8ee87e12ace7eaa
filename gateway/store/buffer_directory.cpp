#include "store/buffer_directory.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <string>

#include "store/store_logger.hpp"

namespace edgegw::store {

namespace {

constexpr std::uint32_t kGroupOrOtherWrite = 0022;
constexpr std::uint32_t kGroupOrOtherAny = 0077;

// The pid the holder wrote into the lock file, or "unknown" (an older holder, or one
// that has not written it yet).
std::string holder_pid(File& lock) {
  std::array<char, 32> bytes{};
  auto got = lock.read_at(bytes.data(), bytes.size(), 0);
  std::string pid;
  if (got) {
    for (std::size_t i = 0;
         i < got.value() && std::isdigit(static_cast<unsigned char>(bytes.at(i))); ++i) {
      pid.push_back(bytes.at(i));
    }
  }
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

Status secure_buffer_directory(FileSystem& fs, const std::filesystem::path& directory) {
  if (auto created = fs.create_directories(directory); !created) {
    return created;
  }
  auto info = fs.directory_info(directory);
  if (!info) {
    return info.error();
  }
  const DirectoryInfo& dir = info.value();
  if (!dir.is_directory) {
    return make_error(StoreErrc::unsafe_directory,
                      fmt::format("buffer directory {} is not a directory", directory.string()));
  }
  if (!dir.owned_by_us) {
    return make_error(
        StoreErrc::unsafe_directory,
        fmt::format("buffer directory {} belongs to uid {}, not to the user the gateway runs "
                    "as (uid {}): chown it to that user, or point buffer.directory elsewhere",
                    directory.string(), dir.owner, ::geteuid()));
  }
  if ((dir.mode & kGroupOrOtherWrite) != 0) {
    return make_error(
        StoreErrc::unsafe_directory,
        fmt::format("buffer directory {} is writable by other users (mode {:04o}): whoever can "
                    "write there can tamper with the log; check its files, then chmod 700 it",
                    directory.string(), dir.mode));
  }
  if ((dir.mode & kGroupOrOtherAny) != 0) {
    // Readable or searchable by others, as older versions created it: nobody else could
    // have written into it, so it is safe to keep once it is private.
    if (auto tightened = fs.make_private(directory); !tightened) {
      return tightened;
    }
    store_logger().warn(
        "Made the buffer directory private: the records in it are the plant's data "
        "directory={} old_mode={:04o} new_mode={:04o}",
        directory.string(), dir.mode, dir.mode & ~kGroupOrOtherAny);
  }
  return Ok{};
}

Result<std::unique_ptr<File>> lock_buffer_directory(FileSystem& fs,
                                                    const std::filesystem::path& directory) {
  const std::filesystem::path path = directory / kLockFileName;
  auto opened = fs.open(path, OpenMode::read_write_create);
  if (!opened) {
    return opened.error();
  }
  std::unique_ptr<File> lock = std::move(opened).value();
  auto taken = lock->try_lock();
  if (!taken) {
    return taken.error();
  }
  if (!taken.value()) {
    return make_error(StoreErrc::locked,
                      fmt::format("buffer directory {} is in use by another edgegw (pid {})",
                                  directory.string(), holder_pid(*lock)));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (auto cleared = lock->truncate(0); !cleared) {
    return cleared.error();
  }
  if (auto written = write_all_at(*lock, pid.data(), pid.size(), 0, path.string()); !written) {
    return written.error();
  }
  return lock;
}

}  // namespace edgegw::store
