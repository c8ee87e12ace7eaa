#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "edgegw/log_throttle.hpp"
#include "edgegw/text.hpp"

using edgegw::is_valid_utf8;
using edgegw::printable;

TEST_CASE("utf-8 validation rejects what JSON text cannot hold", "[unit][text]") {
  CHECK(is_valid_utf8("plain"));
  CHECK(
      is_valid_utf8("Temperatur \xc2\xb0"
                    "C \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));      // cut short
  CHECK_FALSE(is_valid_utf8("\x80"));
}

TEST_CASE("control characters are found anywhere", "[unit][text]") {
  CHECK_FALSE(edgegw::has_control_characters("plant/p-1 \xc2\xb0"));
  CHECK(edgegw::has_control_characters(std::string("a\0b", 3)));
  CHECK(edgegw::has_control_characters("line\nbreak"));
  CHECK(edgegw::has_control_characters("del\x7f"));
}

TEST_CASE("untrusted text is escaped and cut for a log line", "[unit][text]") {
  // A newline would forge a second log line; an escape sequence would drive a terminal.
  CHECK(printable("plant/p1\n2026-01-01 [info] forged") == "plant/p1\\x0a2026-01-01 [info] forged");
  CHECK(printable("a\x1b[31mred") == "a\\x1b[31mred");
  CHECK(printable("back\\slash") == "back\\\\slash");
  CHECK(printable("Pumpe \xc3\xbc") == "Pumpe \xc3\xbc");  // valid UTF-8 is kept
  CHECK(printable("bad \xff\xc3\xbc") == "bad \\xff\\xc3\\xbc");
  const std::string huge(65'530, 'd');
  const std::string shown = printable(huge, 100);
  CHECK(shown == std::string(100, 'd') + "...(+65430 bytes)");
  // Never cut inside a character.
  CHECK(printable("\xc3\xbc\xc3\xbc", 3) == "\xc3\xbc\xc3\xbc");
  CHECK(printable("\xc3\xbc\xc3\xbc\xc3\xbc", 2) == "\xc3\xbc...(+4 bytes)");
}

TEST_CASE("a throttled log line passes once per interval and counts the rest", "[unit][text]") {
  using namespace std::chrono_literals;
  edgegw::LogThrottle throttle(10s);
  const auto t0 = edgegw::LogThrottle::Clock::time_point{} + 1h;
  CHECK(throttle.admit(t0) == 0U);
  CHECK_FALSE(throttle.admit(t0 + 1s));
  CHECK_FALSE(throttle.admit(t0 + 9s));
  CHECK(throttle.admit(t0 + 10s) == 2U);  // two held back since the last line
  CHECK_FALSE(throttle.admit(t0 + 11s));
  CHECK(throttle.admit(t0 + 60s) == 1U);
}
