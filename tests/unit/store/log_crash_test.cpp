// A process crash loses nothing append() returned: the writes are in the page cache.
// A child process appends and reports each returned offset through a pipe, the parent
// SIGKILLs it mid-stream and reopens the log. Forks a process, hence [integration].

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>

#include "edgegw/log.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::drain;
using testing::numbered_payload;
using testing::small_config;

TEST_CASE("records whose append returned survive a SIGKILL of the writer", "[integration]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.segment_bytes = 64U << 10;
  config.max_bytes = 256U << 20;
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    auto log = DurableLog::open(config);
    for (std::uint64_t i = 0;; ++i) {
      auto offset = log->append(Stream::telemetry, "d", numbered_payload(i, 100 + i % 300));
      if (!offset.ok() || ::write(fds[1], &offset.value(), sizeof(std::uint64_t)) !=
                              static_cast<ssize_t>(sizeof(std::uint64_t))) {
        std::_Exit(1);
      }
    }
  }
  ::close(fds[1]);
  std::uint64_t confirmed = 0;
  std::uint64_t offset = 0;
  bool killed = false;
  while (::read(fds[0], &offset, sizeof(offset)) == static_cast<ssize_t>(sizeof(offset))) {
    REQUIRE(offset == confirmed);
    ++confirmed;
    if (!killed && confirmed == 20000) {
      ::kill(child, SIGKILL);  // the pipe still holds what was confirmed before the kill
      killed = true;
    }
  }
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));

  auto log = DurableLog::open(config);
  CHECK(log->end_offset() >= confirmed);
  auto got = drain(*log, 0, 1000);
  REQUIRE(got.records.size() >= confirmed);
  for (std::uint64_t i = 0; i < confirmed; ++i) {
    REQUIRE(got.records[i].offset == i);
    REQUIRE(got.records[i].payload == numbered_payload(i, 100 + i % 300));
  }
  for (const auto& damage : got.damage) {
    CHECK(damage.reason ==
          edgegw::store::DamageReason::torn_tail);  // at most the append the kill interrupted
  }
}

}  // namespace edgegw::store
