#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "store/file_system.hpp"

namespace edgegw::store {
namespace {

// A full filesystem gets its own code: the log can do something about it (drop old
// segments, or wait for the forwarder to free some); other I/O errors it can only report.
Error io_error(const char* what, const std::filesystem::path& path, int err) {
  const bool full = err == ENOSPC || err == EDQUOT;
  return make_error(
      full ? StoreErrc::no_space : StoreErrc::io_error,
      std::string(what) + " " + path.string() + ": " + std::generic_category().message(err));
}

Error unsafe_file(const std::filesystem::path& path, const char* what) {
  return make_error(StoreErrc::unsafe_file,
                    path.string() + " is " + what +
                        ", not a regular file: the buffer directory's files must be the "
                        "gateway's own; remove it");
}

// Why open() refused `path` with ELOOP: O_NOFOLLOW met a symbolic link as the last
// component (or the path loops).
Error refused_link(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    return unsafe_file(path, "a symbolic link");
  }
  return io_error("open", path, ELOOP);
}

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "a device or special file";
}

// Owns one descriptor; closes it on destruction.
class PosixFile final : public File {
 public:
  PosixFile(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;
  ~PosixFile() override { ::close(fd_); }

  Result<std::size_t> write_at(const void* data, std::size_t size,
                               std::uint64_t position) override {
    for (;;) {
      const ssize_t n = ::pwrite(fd_, data, size, static_cast<off_t>(position));
      if (n >= 0) {
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) {
        return io_error("write", path_, errno);
      }
    }
  }

  Result<std::size_t> read_at(void* data, std::size_t size, std::uint64_t position) override {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pread(fd_, static_cast<char*>(data) + done, size - done,
                                static_cast<off_t>(position + done));
      if (n == 0) {
        break;
      }
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return io_error("read", path_, errno);
      }
      done += static_cast<std::size_t>(n);
    }
    return done;
  }

  Status truncate(std::uint64_t size) override {
    while (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
      if (errno != EINTR) {
        return io_error("truncate", path_, errno);
      }
    }
    return Ok{};
  }

  Status sync() override {
    while (::fdatasync(fd_) != 0) {
      if (errno != EINTR) {
        return io_error("fdatasync", path_, errno);
      }
    }
    return Ok{};
  }

  Result<std::uint64_t> size() override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      return io_error("stat", path_, errno);
    }
    return static_cast<std::uint64_t>(st.st_size);
  }

  Result<bool> try_lock() override {
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return false;
      }
      if (errno != EINTR) {
        return io_error("lock", path_, errno);
      }
    }
    return true;
  }

 private:
  int fd_;
  std::filesystem::path path_;
};

class PosixFileSystem final : public FileSystem {
 public:
  // O_NOFOLLOW: a symbolic link planted under a log file's name is refused rather than
  // followed (a segment truncated through it would empty its target). O_NONBLOCK: opening
  // a FIFO planted there would otherwise wait for a writer; it is cleared once fstat has
  // shown a regular file.
  Result<std::unique_ptr<File>> open(const std::filesystem::path& path, OpenMode mode) override {
    const int access = mode == OpenMode::read_only ? O_RDONLY : O_RDWR | O_CREAT;
    const int flags = access | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
    int fd = -1;
    do {
      fd = ::open(path.c_str(), flags, 0600);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      return errno == ELOOP ? refused_link(path) : io_error("open", path, errno);
    }
    auto file = std::make_unique<PosixFile>(fd, path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      return io_error("stat", path, errno);
    }
    if (!S_ISREG(st.st_mode)) {
      return unsafe_file(path, file_kind(st.st_mode));
    }
    if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
      return io_error("open", path, errno);
    }
    return std::unique_ptr<File>(std::move(file));
  }

  Result<std::vector<std::string>> list(const std::filesystem::path& directory) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
         it.increment(ec)) {
      // symlink_status: a link is listed whatever it points to, for open() to refuse.
      if (!std::filesystem::is_directory(it->symlink_status(ec))) {
        names.push_back(it->path().filename().string());
      }
    }
    if (ec) {
      return io_error("list", directory, ec.value());
    }
    return names;
  }

  Status remove(const std::filesystem::path& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return io_error("remove", path, errno);
    }
    return Ok{};
  }

  Status rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return io_error("rename", from, errno);
    }
    return Ok{};
  }

  Status sync_directory(const std::filesystem::path& directory) override {
    int fd = -1;
    do {
      fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      return io_error("open directory", directory, errno);
    }
    int rc = 0;
    do {
      rc = ::fsync(fd);
    } while (rc != 0 && errno == EINTR);
    const int err = errno;
    ::close(fd);
    if (rc != 0) {
      return io_error("fsync directory", directory, err);
    }
    return Ok{};
  }

  Status create_directories(const std::filesystem::path& directory) override {
    std::error_code ec;
    if (directory.empty() || std::filesystem::is_directory(directory, ec)) {
      return Ok{};
    }
    if (directory.has_parent_path() && directory.parent_path() != directory) {
      if (auto parent = create_directories(directory.parent_path()); !parent) {
        return parent;
      }
    }
    // mkdir's mode is masked by the umask, which can only take bits away from 0700.
    if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
      return io_error("create directory", directory, errno);
    }
    return Ok{};
  }

  Result<DirectoryInfo> directory_info(const std::filesystem::path& directory) override {
    struct stat st {};
    if (::stat(directory.c_str(), &st) != 0) {
      return io_error("stat", directory, errno);
    }
    DirectoryInfo info;
    info.is_directory = S_ISDIR(st.st_mode);
    info.owner = st.st_uid;
    info.owned_by_us = st.st_uid == ::geteuid();
    info.mode = st.st_mode & 07777;
    return info;
  }

  Status make_private(const std::filesystem::path& directory) override {
    struct stat st {};
    if (::stat(directory.c_str(), &st) != 0) {
      return io_error("stat", directory, errno);
    }
    if (::chmod(directory.c_str(), st.st_mode & 07700) != 0) {
      return io_error("chmod", directory, errno);
    }
    return Ok{};
  }
};

}  // namespace

std::shared_ptr<FileSystem> posix_file_system() {
  static const auto instance = std::make_shared<PosixFileSystem>();
  return instance;
}

}  // namespace edgegw::store
