#include "store/atomic_file.hpp"

#include <system_error>

namespace edgegw::store {

Status write_file_atomically(FileSystem& fs, const std::filesystem::path& path,
                             std::string_view bytes) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  // A leftover temp file goes first: if someone planted a symbolic link under its name,
  // unlink removes the link itself, and open() would refuse it anyway (O_NOFOLLOW).
  // rename() replaces a link at `path` itself, never its target.
  if (auto removed = fs.remove(temp); !removed) {
    return removed.error();
  }
  {
    auto file = fs.open(temp, OpenMode::read_write_create);
    if (!file) {
      return file.error();
    }
    if (auto st = write_all_at(*file.value(), bytes.data(), bytes.size(), 0, temp.string()); !st) {
      return st.error();
    }
    // A temp file created meanwhile and longer (remove() above makes this rare).
    if (auto st = file.value()->truncate(bytes.size()); !st) {
      return st.error();
    }
    if (auto st = file.value()->sync(); !st) {
      return st.error();
    }
  }
  if (auto st = fs.rename(temp, path); !st) {
    return st.error();
  }
  return fs.sync_directory(path.parent_path().empty() ? std::filesystem::path(".")
                                                      : path.parent_path());
}

Result<std::string> read_whole_file(FileSystem& fs, const std::filesystem::path& path,
                                    std::uint64_t max_bytes) {
  std::error_code ec;
  // symlink_status: a dangling link is not "no file", it is a file open() refuses.
  if (std::filesystem::symlink_status(path, ec).type() == std::filesystem::file_type::not_found) {
    return make_error(StoreErrc::not_found, path.string() + " does not exist");
  }
  auto file = fs.open(path, OpenMode::read_only);
  if (!file) {
    return file.error();
  }
  auto size = file.value()->size();
  if (!size) {
    return size.error();
  }
  if (size.value() > max_bytes) {
    return make_error(StoreErrc::too_large, path.string() + " holds " +
                                                std::to_string(size.value()) +
                                                " bytes, more than the " +
                                                std::to_string(max_bytes) + " the config allows");
  }
  std::string bytes(static_cast<std::size_t>(size.value()), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = file.value()->read_at(bytes.data() + done, bytes.size() - done, done);
    if (!n) {
      return n.error();
    }
    if (n.value() == 0) {
      break;  // shorter than its size said: the checkpoint's own checks will tell
    }
    done += n.value();
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace edgegw::store
