#include "mapping/timestamp_bounds.hpp"

#include <fmt/format.h>

#include "edgegw/time_format.hpp"

namespace edgegw::mapping {
namespace {

// A bound as the config writes it (5m, 7d), so that the sentence names what to change.
std::string duration_text(std::int64_t ms) {
  struct Unit {
    std::int64_t ms;
    const char* suffix;
  };
  constexpr Unit kUnits[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
  for (const Unit& unit : kUnits) {
    if (ms % unit.ms == 0) {
      return fmt::format("{}{}", ms / unit.ms, unit.suffix);
    }
  }
  return fmt::format("{}ms", ms);
}

}  // namespace

std::optional<std::string> check_timestamp_bounds(std::int64_t timestamp_ms,
                                                  std::int64_t arrival_ms,
                                                  const TimestampBounds& bounds,
                                                  std::string_view field) {
  // Parsed timestamps lie within ±year 10000 and arrival times near now: these
  // differences cannot overflow.
  const std::int64_t ahead = timestamp_ms - arrival_ms;
  const char* key = nullptr;
  const char* side = nullptr;
  std::int64_t bound = 0;
  if (bounds.max_clock_skew_ms > 0 && ahead > bounds.max_clock_skew_ms) {
    key = "max_clock_skew";
    side = "ahead of";
    bound = bounds.max_clock_skew_ms;
  } else if (bounds.max_sample_age_ms > 0 && -ahead > bounds.max_sample_age_ms) {
    key = "max_sample_age";
    side = "behind";
    bound = bounds.max_sample_age_ms;
  } else {
    return std::nullopt;
  }
  return fmt::format("field '{}': timestamp {} ({} ms) is more than {} ({}) {} the arrival time {}",
                     field, iso8601_utc(timestamp_ms), timestamp_ms, key, duration_text(bound),
                     side, iso8601_utc(arrival_ms));
}

}  // namespace edgegw::mapping
