#include "memory_file_system.hpp"

#include <algorithm>
#include <cstring>

namespace edgegw::fuzz {
namespace {

using store::File;

class MemoryFile final : public File {
 public:
  explicit MemoryFile(std::shared_ptr<std::string> bytes) : bytes_(std::move(bytes)) {}

  Result<std::size_t> write_at(const void* data, std::size_t size,
                               std::uint64_t position) override {
    if (position + size > bytes_->size()) {
      bytes_->resize(position + size, '\0');
    }
    std::memcpy(bytes_->data() + position, data, size);
    return size;
  }
  Result<std::size_t> read_at(void* data, std::size_t size, std::uint64_t position) override {
    if (position >= bytes_->size()) {
      return std::size_t{0};
    }
    const std::size_t n = std::min<std::size_t>(size, bytes_->size() - position);
    std::memcpy(data, bytes_->data() + position, n);
    return n;
  }
  Status truncate(std::uint64_t size) override {
    bytes_->resize(size, '\0');
    return Ok{};
  }
  Status sync() override { return Ok{}; }
  Result<std::uint64_t> size() override { return std::uint64_t{bytes_->size()}; }

 private:
  std::shared_ptr<std::string> bytes_;
};

Error not_found(const std::filesystem::path& path) {
  return make_error(store::StoreErrc::io_error, "open " + path.string() + ": no such file");
}

}  // namespace

void MemoryFileSystem::put(const std::filesystem::path& path, std::string bytes) {
  files_[path.string()] = std::make_shared<std::string>(std::move(bytes));
}

Result<std::unique_ptr<File>> MemoryFileSystem::open(const std::filesystem::path& path,
                                                     store::OpenMode mode) {
  auto it = files_.find(path.string());
  if (it == files_.end()) {
    if (mode == store::OpenMode::read_only) {
      return not_found(path);
    }
    it = files_.emplace(path.string(), std::make_shared<std::string>()).first;
  }
  return std::unique_ptr<File>(std::make_unique<MemoryFile>(it->second));
}

Result<std::vector<std::string>> MemoryFileSystem::list(const std::filesystem::path& directory) {
  std::vector<std::string> names;
  for (const auto& [path, bytes] : files_) {
    const std::filesystem::path p(path);
    if (p.parent_path() == directory) {
      names.push_back(p.filename().string());
    }
  }
  return names;
}

Status MemoryFileSystem::remove(const std::filesystem::path& path) {
  files_.erase(path.string());
  return Ok{};
}

Status MemoryFileSystem::rename(const std::filesystem::path& from,
                                const std::filesystem::path& to) {
  auto it = files_.find(from.string());
  if (it == files_.end()) {
    return not_found(from);
  }
  files_[to.string()] = it->second;
  files_.erase(from.string());
  return Ok{};
}

Status MemoryFileSystem::sync_directory(const std::filesystem::path& /*directory*/) {
  return Ok{};
}

Status MemoryFileSystem::create_directories(const std::filesystem::path& /*directory*/) {
  return Ok{};
}

}  // namespace edgegw::fuzz
