#include <catch2/catch.hpp>

#include <string>

#include "pipeline/dead_letter_limiter.hpp"

using edgegw::pipeline::DeadLetterLimiter;
using edgegw::pipeline::DeadLetterRate;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

int admitted(DeadLetterLimiter& limiter, const std::string& source, int tries, std::int64_t now) {
  int n = 0;
  for (int i = 0; i < tries; ++i) {
    n += limiter.admit(source, now) ? 1 : 0;
  }
  return n;
}

}  // namespace

TEST_CASE("a source gets its burst, then its rate", "[unit][pipeline]") {
  DeadLetterLimiter limiter(DeadLetterRate{10, 100});
  CHECK(admitted(limiter, "bad-device", 1000, kT0) == 100);
  CHECK(admitted(limiter, "bad-device", 1000, kT0 + 500) == 5);  // half a second at 10/s
  CHECK(admitted(limiter, "bad-device", 1000, kT0 + 1500) == 10);
  // Another source is not held back by the first one's storm.
  CHECK(admitted(limiter, "good-device", 3, kT0 + 1500) == 3);
  // A clock stepping back refills nothing.
  CHECK(admitted(limiter, "bad-device", 10, kT0) == 0);
  // After a long quiet the burst is back (and idle sources are forgotten).
  limiter.evict_idle(kT0 + 3'600'000);
  CHECK(limiter.sources() == 0);
  CHECK(admitted(limiter, "bad-device", 1000, kT0 + 3'600'000) == 100);
}

TEST_CASE("rate 0 means no limit", "[unit][pipeline]") {
  DeadLetterLimiter limiter(DeadLetterRate{0, 1});
  CHECK(admitted(limiter, "s", 10'000, kT0) == 10'000);
  CHECK(limiter.sources() == 0);
}

TEST_CASE("sources beyond the table share one bucket", "[unit][pipeline]") {
  DeadLetterLimiter limiter(DeadLetterRate{1, 2});
  // A storm from ever-new sources: each of the first 10,000 gets its burst, the rest
  // share one, so the total stays bounded by the table's size.
  int total = 0;
  for (int i = 0; i < 20'000; ++i) {
    total += admitted(limiter, "source-" + std::to_string(i), 3, kT0);
  }
  CHECK(limiter.sources() == 10'000);
  CHECK(total == 10'000 * 2 + 2);
}
