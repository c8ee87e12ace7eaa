#include <catch2/catch.hpp>

#include <cmath>

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
