// The buffer directory is the gateway's alone: symbolic links and special files planted
// under the log's names are refused (never followed), files are created 0600 and the
// directory 0700, a directory others may write to or that belongs to another user is
// refused, and a second log on the same directory is refused while the first holds it.

#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "edgegw/log.hpp"
#include "store/atomic_file.hpp"
#include "store/segmented_log.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::append_numbered;
using testing::drain;
using testing::segment_files;
using testing::small_config;

namespace {

const std::string kPrecious = "precious bytes of a file the gateway must never touch\n";

std::filesystem::path write_victim(const TempDir& dir) {
  return dir.write("victim", kPrecious);
}

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::uint32_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// Opening must fail with `code`, with a message that names `names`.
void require_refused(const LogConfig& config, StoreErrc code, const std::string& names) {
  try {
    auto log = DurableLog::open(config);
    FAIL("the log opened");
  } catch (const LogOpenError& e) {
    INFO(e.what());
    CHECK(e.code() == code);
    CHECK_THAT(e.what(), Catch::Contains(names));
  }
}

// A log with three segments in `directory`, closed again.
std::filesystem::path filled_log(const std::filesystem::path& directory) {
  auto log = DurableLog::open(small_config(directory));
  append_numbered(*log, 0, 100, 100);
  return directory;
}

}  // namespace

TEST_CASE("a segment that is a symbolic link is refused and its target left alone", "[unit]") {
  TempDir outside;
  const auto victim = write_victim(outside);
  TempDir dir;
  const auto buffer = filled_log(dir.path() / "buffer");
  const auto segments = segment_files(buffer);
  REQUIRE(segments.size() >= 2);
  SECTION("the last segment, which recovery truncates") {
    const auto link = buffer / segments.back();
    std::filesystem::remove(link);
    std::filesystem::create_symlink(victim, link);
    require_refused(small_config(buffer), StoreErrc::unsafe_file, link.string());
  }
  SECTION("an older segment, which only the reader opens") {
    const auto link = buffer / segments.front();
    std::filesystem::remove(link);
    std::filesystem::create_symlink(victim, link);
    require_refused(small_config(buffer), StoreErrc::unsafe_file, "symbolic link");
  }
  SECTION("a dangling link under the name of the next segment") {
    for (const auto& name : segments) {
      std::filesystem::remove(buffer / name);
    }
    std::filesystem::create_symlink(outside.path() / "created-through-the-link",
                                    buffer / segments.back());
    require_refused(small_config(buffer), StoreErrc::unsafe_file, "symbolic link");
    CHECK_FALSE(std::filesystem::exists(outside.path() / "created-through-the-link"));
  }
  CHECK(contents(victim) == kPrecious);
}

TEST_CASE("a cursor slot that is a symbolic link is refused and its target left alone", "[unit]") {
  TempDir outside;
  const auto victim = write_victim(outside);
  TempDir dir;
  const auto buffer = filled_log(dir.path() / "buffer");
  const auto link = buffer / "cursor.0";
  std::filesystem::remove(link);
  std::filesystem::create_symlink(victim, link);
  require_refused(small_config(buffer), StoreErrc::unsafe_file, link.string());
  CHECK(contents(victim) == kPrecious);
}

TEST_CASE("a FIFO under a segment's name is refused instead of blocking the start", "[unit]") {
  TempDir dir;
  const auto buffer = filled_log(dir.path() / "buffer");
  const auto fifo = buffer / segment_files(buffer).front();
  std::filesystem::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  require_refused(small_config(buffer), StoreErrc::unsafe_file, "a FIFO");
}

TEST_CASE("the log creates its directory 0700 and its files 0600, whatever the umask", "[unit]") {
  TempDir dir;
  const mode_t old_umask = ::umask(0);
  const auto buffer = dir.path() / "new" / "buffer";
  {
    auto log = DurableLog::open(small_config(buffer));
    append_numbered(*log, 0, 100, 100);  // rolls: segments created after open too
    REQUIRE(log->commit(10).ok());
  }
  ::umask(old_umask);
  CHECK(mode_of(buffer) == 0700);
  CHECK(mode_of(buffer.parent_path()) == 0700);
  for (const auto& entry : std::filesystem::directory_iterator(buffer)) {
    INFO(entry.path().filename().string());
    CHECK(mode_of(entry.path()) == 0600);
  }
  CHECK(std::filesystem::exists(buffer / "lock"));
}

TEST_CASE("an existing buffer directory others may write to is refused", "[unit]") {
  TempDir dir;
  const auto buffer = dir.path() / "buffer";
  std::filesystem::create_directory(buffer);
  const std::uint32_t mode = GENERATE(0777U, 0770U, 0702U, 01777U);
  INFO(mode);
  REQUIRE(::chmod(buffer.c_str(), mode) == 0);
  require_refused(small_config(buffer), StoreErrc::unsafe_directory, "writable by other users");
  CHECK(mode_of(buffer) == mode);  // left as it was: the operator decides
  CHECK(segment_files(buffer).empty());
}

TEST_CASE("an existing buffer directory others may only read is made private", "[unit]") {
  TempDir dir;
  const auto buffer = filled_log(dir.path() / "buffer");
  REQUIRE(::chmod(buffer.c_str(), 0755) == 0);  // as earlier versions created it
  auto log = DurableLog::open(small_config(buffer));
  CHECK(mode_of(buffer) == 0700);
  CHECK(drain(*log, 0).records.size() == 100);
}

namespace {

// The POSIX file system, except that every directory belongs to someone else.
class ForeignOwnerFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<File>> open(const std::filesystem::path& path, OpenMode mode) override {
    return inner_->open(path, mode);
  }
  Result<std::vector<std::string>> list(const std::filesystem::path& directory) override {
    return inner_->list(directory);
  }
  Status remove(const std::filesystem::path& path) override { return inner_->remove(path); }
  Status rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    return inner_->rename(from, to);
  }
  Status sync_directory(const std::filesystem::path& directory) override {
    return inner_->sync_directory(directory);
  }
  Status create_directories(const std::filesystem::path& directory) override {
    return inner_->create_directories(directory);
  }
  Result<DirectoryInfo> directory_info(const std::filesystem::path& directory) override {
    auto info = inner_->directory_info(directory);
    if (info) {
      info.value().owned_by_us = false;
      info.value().owner = 4242;
    }
    return info;
  }

 private:
  std::shared_ptr<FileSystem> inner_ = posix_file_system();
};

}  // namespace

TEST_CASE("a buffer directory owned by another user is refused", "[unit]") {
  TempDir dir;
  const auto buffer = dir.path() / "buffer";
  std::filesystem::create_directory(buffer);
  try {
    auto log = SegmentedLog::open(small_config(buffer), std::make_shared<ForeignOwnerFileSystem>());
    FAIL("the log opened");
  } catch (const LogOpenError& e) {
    INFO(e.what());
    CHECK(e.code() == StoreErrc::unsafe_directory);
    CHECK_THAT(e.what(), Catch::Contains("belongs to uid 4242"));
  }
  if (::geteuid() == 0) {  // the real thing, where the test may chown
    REQUIRE(::chown(buffer.c_str(), 65534, 65534) == 0);
    REQUIRE(::chmod(buffer.c_str(), 0700) == 0);
    require_refused(small_config(buffer), StoreErrc::unsafe_directory, "belongs to uid 65534");
  }
}

TEST_CASE("a second log on the same directory is refused while the first is open", "[unit]") {
  TempDir dir;
  const auto config = small_config(dir.path() / "buffer");
  {
    auto first = DurableLog::open(config);
    append_numbered(*first, 0, 5, 10);
    require_refused(config, StoreErrc::locked,
                    "buffer directory " + config.directory.string() +
                        " is in use by another edgegw (pid " + std::to_string(::getpid()) + ")");
    // The refused one changed nothing: the first still appends where it was.
    CHECK(append_numbered(*first, 5, 1, 10).front() == 5);
  }
  auto again = DurableLog::open(config);  // released when the first closed
  CHECK(again->end_offset() == 6);
}

TEST_CASE("atomic writes neither follow nor read through symbolic links", "[unit]") {
  TempDir outside;
  const auto victim = write_victim(outside);
  TempDir dir;
  FileSystem& fs = *posix_file_system();
  const auto path = dir.path() / "analytics.checkpoint";
  SECTION("a link planted as the temp file") {
    std::filesystem::create_symlink(victim, dir.path() / "analytics.checkpoint.tmp");
    REQUIRE(write_file_atomically(fs, path, "state").ok());
    CHECK(contents(path) == "state");
  }
  SECTION("a link planted as the file itself is replaced, not written through") {
    std::filesystem::create_symlink(victim, path);
    auto read = read_whole_file(fs, path, 1 << 20);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == StoreErrc::unsafe_file);
    REQUIRE(write_file_atomically(fs, path, "state").ok());
    CHECK_FALSE(std::filesystem::is_symlink(path));
    CHECK(contents(path) == "state");
  }
  CHECK(contents(victim) == kPrecious);
  CHECK(mode_of(path) == 0600);
}

}  // namespace edgegw::store
