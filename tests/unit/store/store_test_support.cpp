#include "unit/store/store_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <system_error>

namespace edgegw::store::testing {

namespace {

bool take(std::atomic<int>& budget) {
  int n = budget.load();
  while (n > 0) {
    if (budget.compare_exchange_weak(n, n - 1)) {
      return true;
    }
  }
  return false;
}

// Writes fail with ENOSPC (code no_space, as the POSIX file system reports it), the rest
// with EIO.
Error injected(const char* what) {
  const bool write = what[0] == 'w';
  return make_error(write ? store::StoreErrc::no_space : store::StoreErrc::io_error,
                    std::string(what) + ": " +
                        std::generic_category().message(write ? ENOSPC : EIO) + " (injected)");
}

class FaultyFile final : public File {
 public:
  FaultyFile(std::unique_ptr<File> inner, std::shared_ptr<FaultPlan> plan)
      : inner_(std::move(inner)), plan_(std::move(plan)) {}

  Result<std::size_t> write_at(const void* data, std::size_t size,
                               std::uint64_t position) override {
    plan_->writes.fetch_add(1);
    std::int64_t left = plan_->space_left.load();
    if (left >= 0) {
      if (left == 0) {
        return injected("write");
      }
      size = std::min<std::size_t>(size, static_cast<std::size_t>(left));
      plan_->space_left.fetch_sub(static_cast<std::int64_t>(size));
    }
    if (size > 1 && take(plan_->short_writes)) {
      size /= 2;
    }
    return inner_->write_at(data, size, position);
  }
  Result<std::size_t> read_at(void* data, std::size_t size, std::uint64_t position) override {
    return inner_->read_at(data, size, position);
  }
  Status truncate(std::uint64_t size) override {
    if (take(plan_->failing_truncates)) {
      return injected("truncate");
    }
    return inner_->truncate(size);
  }
  Status sync() override {
    if (take(plan_->failing_syncs)) {
      return injected("fsync");
    }
    plan_->file_syncs.fetch_add(1);
    return inner_->sync();
  }
  Result<std::uint64_t> size() override { return inner_->size(); }
  Result<bool> try_lock() override { return inner_->try_lock(); }

 private:
  std::unique_ptr<File> inner_;
  std::shared_ptr<FaultPlan> plan_;
};

class FaultyFileSystem final : public FileSystem {
 public:
  explicit FaultyFileSystem(std::shared_ptr<FaultPlan> plan)
      : inner_(posix_file_system()), plan_(std::move(plan)) {}

  Result<std::unique_ptr<File>> open(const std::filesystem::path& path, OpenMode mode) override {
    auto file = inner_->open(path, mode);
    if (!file) {
      return file.error();
    }
    return std::unique_ptr<File>(std::make_unique<FaultyFile>(std::move(file).value(), plan_));
  }
  Result<std::vector<std::string>> list(const std::filesystem::path& directory) override {
    return inner_->list(directory);
  }
  // A removed file gives its bytes back to a limited space_left, as on a real disk.
  Status remove(const std::filesystem::path& path) override {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    Status removed = inner_->remove(path);
    if (removed && !ec && plan_->space_left.load() >= 0) {
      plan_->space_left.fetch_add(static_cast<std::int64_t>(size));
    }
    return removed;
  }
  Status rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (take(plan_->failing_renames)) {
      return injected("rename");
    }
    return inner_->rename(from, to);
  }
  Status sync_directory(const std::filesystem::path& directory) override {
    if (take(plan_->failing_syncs)) {
      return injected("fsync");
    }
    return inner_->sync_directory(directory);
  }
  Status create_directories(const std::filesystem::path& directory) override {
    return inner_->create_directories(directory);
  }
  Result<DirectoryInfo> directory_info(const std::filesystem::path& directory) override {
    return inner_->directory_info(directory);
  }
  Status make_private(const std::filesystem::path& directory) override {
    return inner_->make_private(directory);
  }

 private:
  std::shared_ptr<FileSystem> inner_;
  std::shared_ptr<FaultPlan> plan_;
};

}  // namespace

std::shared_ptr<FileSystem> faulty_file_system(std::shared_ptr<FaultPlan> plan) {
  return std::make_shared<FaultyFileSystem>(std::move(plan));
}

LogConfig small_config(const std::filesystem::path& directory) {
  LogConfig config;
  config.directory = directory;
  config.segment_bytes = 4096;
  config.max_bytes = 1ULL << 20;
  config.fsync = FsyncPolicy::never;
  return config;
}

std::string numbered_payload(std::uint64_t index, std::size_t size) {
  std::string payload = "record-" + std::to_string(index) + ":";
  while (payload.size() < size) {
    payload.push_back(static_cast<char>('a' + (index + payload.size()) % 26));
  }
  payload.resize(size);
  return payload;
}

std::vector<std::uint64_t> append_numbered(DurableLog& log, std::uint64_t first_index,
                                           std::size_t count, std::size_t payload_size) {
  std::vector<std::uint64_t> offsets;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t index = first_index + i;
    auto offset = log.append(Stream::telemetry, "device-" + std::to_string(index % 7),
                             numbered_payload(index, payload_size));
    REQUIRE(offset.ok());
    offsets.push_back(offset.value());
  }
  return offsets;
}

Drained drain(DurableLog& log, std::uint64_t from, std::size_t batch, std::size_t max_calls) {
  Drained out;
  out.next_offset = from;
  for (std::size_t calls = 0;; ++calls) {
    REQUIRE(calls < max_calls);  // never loops forever
    auto read = log.read(out.next_offset, batch, 1U << 20);
    REQUIRE(read.ok());
    auto& got = read.value();
    const bool progress =
        !got.records.empty() || !got.damage.empty() || got.next_offset != out.next_offset;
    for (auto& record : got.records) {
      out.records.push_back(std::move(record));
    }
    for (auto& damage : got.damage) {
      out.damage.push_back(std::move(damage));
    }
    out.next_offset = got.next_offset;
    if (!progress) {
      return out;
    }
  }
}

std::vector<std::string> segment_files(const std::filesystem::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const auto name = entry.path().filename().string();
    if (name.ends_with(".seg")) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void append_bytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::app);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace edgegw::store::testing
