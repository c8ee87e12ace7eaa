#include <catch2/catch.hpp>

#include <cmath>
#include <string_view>

#include "mapping/timestamp_parser.hpp"

using edgegw::TimestampFormat;
using edgegw::mapping::epoch_ms_from_number;

namespace {

constexpr std::int64_t kNov14 = 1700003600000;  // 2023-11-14T23:13:20Z

}  // namespace

TEST_CASE("numeric timestamps in seconds or milliseconds", "[unit][mapping]") {
  CHECK(epoch_ms_from_number(1700003600.25, TimestampFormat::seconds).value() == kNov14 + 250);
  CHECK(epoch_ms_from_number(1700003600000, TimestampFormat::milliseconds).value() == kNov14);
  // Microseconds sent as milliseconds land past year 5000: a unit mix-up, refused.
  CHECK_FALSE(epoch_ms_from_number(1.7e15, TimestampFormat::milliseconds));
  CHECK_FALSE(epoch_ms_from_number(1.7e12, TimestampFormat::seconds));
  CHECK_FALSE(epoch_ms_from_number(std::nan(""), TimestampFormat::milliseconds));
}

TEST_CASE("a time in a file: epoch seconds or milliseconds by size, else iso-8601",
          "[unit][time]") {
  const auto ms = [](std::string_view text) {
    const auto t = edgegw::mapping::parse_time_text(text);
    INFO(text);
    REQUIRE(t);
    return t.value();
  };
  CHECK(ms("1700003600") == kNov14);                  // seconds
  CHECK(ms("1700003600.123456789") == kNov14 + 123);  // mosquitto_sub's %U
  CHECK(ms("1700003600000") == kNov14);               // milliseconds
  CHECK(ms("2023-11-14T23:13:20Z") == kNov14);
  for (const char* text : {"", "inf", "nan", "12abc", "yesterday", "1e300"}) {
    INFO(text);
    CHECK_FALSE(edgegw::mapping::parse_time_text(text));
  }
}
