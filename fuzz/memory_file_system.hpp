#pragma once
// A FileSystem (store/file_system.hpp) held in memory, so that a fuzz target can hand the
// log a directory of arbitrary bytes and run its recovery and scanning thousands of times
// a second without touching a disk. Files are shared byte strings keyed by path; a File
// stays valid after the name is removed, as an open descriptor does. One thread.

#include <map>
#include <memory>
#include <string>

#include "store/file_system.hpp"

namespace edgegw::fuzz {

class MemoryFileSystem final : public store::FileSystem {
 public:
  // Creates or replaces the file at `path` with `bytes`.
  void put(const std::filesystem::path& path, std::string bytes);

  Result<std::unique_ptr<store::File>> open(const std::filesystem::path& path,
                                            store::OpenMode mode) override;
  Result<std::vector<std::string>> list(const std::filesystem::path& directory) override;
  Status remove(const std::filesystem::path& path) override;
  Status rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
  Status sync_directory(const std::filesystem::path& directory) override;
  Status create_directories(const std::filesystem::path& directory) override;

 private:
  std::map<std::string, std::shared_ptr<std::string>> files_;
};

}  // namespace edgegw::fuzz
