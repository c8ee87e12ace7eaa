#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "edgegw/time_format.hpp"

using edgegw::parse_iso8601_ms;

namespace {

constexpr std::int64_t kNov14 = 1700003600000;  // 2023-11-14T23:13:20Z

std::int64_t iso(std::string_view text) {
  const auto ms = parse_iso8601_ms(text);
  INFO(text);
  REQUIRE(ms);
  return ms.value();
}

}  // namespace

TEST_CASE("iso-8601 timestamps: zones, offsets and fractions", "[unit][time]") {
  CHECK(iso("2023-11-14T23:13:20Z") == kNov14);
  CHECK(iso("2023-11-14t23:13:20z") == kNov14);
  CHECK(iso("2023-11-14 23:13:20Z") == kNov14);
  CHECK(iso("2023-11-14T23:13:20") == kNov14);  // no zone: UTC
  CHECK(iso("2023-11-15T01:13:20+02:00") == kNov14);
  CHECK(iso("2023-11-15T01:13:20+0200") == kNov14);
  CHECK(iso("2023-11-14T20:43:20-02:30") == kNov14);
  CHECK(iso("2023-11-14T23:13:20.5Z") == kNov14 + 500);
  CHECK(iso("2023-11-14T23:13:20,25Z") == kNov14 + 250);
  CHECK(iso("2023-11-14T23:13:20.123456789Z") == kNov14 + 123);  // beyond ms: cut
  CHECK(iso("2024-02-29T00:00:00Z") == 1709164800000);           // a leap day
  CHECK(iso("1969-12-31T23:59:59Z") == -1000);
}

TEST_CASE("iso-8601 timestamps that name no real instant are refused", "[unit][time]") {
  for (const char* text :
       {"2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2023-04-31T00:00:00Z",
        "2023-13-01T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T23:60:00Z",
        "2023-11-14T23:13:20+24:00", "2023-11-14T23:13:20+01:60", "2023-11-14", "2023-11-14T23:13",
        "2023-11-14T23:13:20.Z", "2023-11-14T23:13:20Zjunk", "", "yesterday"}) {
    INFO(text);
    const auto ms = parse_iso8601_ms(text);
    REQUIRE_FALSE(ms);
    CHECK(ms.error().code == std::errc::invalid_argument);
  }
}

TEST_CASE("iso-8601 timestamps far from 1970 go through the calendar", "[unit][time]") {
  CHECK(iso("0001-01-01T00:00:00Z") == -62135596800000);
  CHECK(iso("1900-03-01T00:00:00Z") == -2203891200000);  // 1900: no leap year
  CHECK(iso("2000-02-29T12:00:00Z") == 951825600000);    // 2000: a leap year
  CHECK(iso("9999-12-31T23:59:59.999Z") == 253402300799999);
  CHECK_FALSE(parse_iso8601_ms("1900-02-29T00:00:00Z"));
  CHECK(iso("2016-12-31T23:59:60Z") == iso("2017-01-01T00:00:00Z"));  // a leap second
}

TEST_CASE("iso-8601 timestamps an offset moves out of years 0000-9999 are refused",
          "[unit][time]") {
  // Found by fuzzing (fuzz/timestamp_fuzz.cpp): the formatter wrote year -1 as "-001",
  // which the parser cannot read back.
  CHECK_FALSE(parse_iso8601_ms("0000-01-01 00:06:59.9+0329"));
  CHECK_FALSE(parse_iso8601_ms("9999-12-31T23:59:59-01:00"));
  CHECK_FALSE(parse_iso8601_ms("9999-12-31T23:59:60Z"));
  CHECK(iso("0000-01-01T00:00:00Z") == -62167219200000);
  CHECK(edgegw::iso8601_utc(iso("0000-01-01T01:00:00+01:00")) == "0000-01-01T00:00:00.000Z");
}

TEST_CASE("iso-8601 text is fmt's, digit for digit, in and beyond years 0000-9999",
          "[unit][time]") {
  using namespace std::chrono;
  // The reference: what iso8601_utc wrote with fmt alone.
  const auto reference = [](std::int64_t epoch_ms) {
    const sys_time<milliseconds> time{milliseconds{epoch_ms}};
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss<milliseconds> clock{time - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                       clock.subseconds().count());
  };
  const std::int64_t year0 =
      sys_time<milliseconds>{sys_days{year{0} / 1 / 1}}.time_since_epoch().count();
  const std::int64_t year10000 =
      sys_time<milliseconds>{sys_days{year{10000} / 1 / 1}}.time_since_epoch().count();
  std::vector<std::int64_t> instants = {
      0,         -1,        1,         999,           1000,          kNov14,    year0,
      year0 - 1, year0 + 1, year10000, year10000 - 1, year10000 + 1, -86400000, 951782400000};
  std::uint64_t x = 88172645463325252ULL;  // xorshift: spread over years 0-9999 and beyond
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    instants.push_back(year0 + static_cast<std::int64_t>(
                                   x % static_cast<std::uint64_t>((year10000 - year0) * 11 / 10)));
  }
  for (const std::int64_t ms : instants) {
    INFO(ms);
    CHECK(edgegw::iso8601_utc(ms) == reference(ms));
  }
}
