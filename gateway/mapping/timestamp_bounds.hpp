#pragma once
// Whether a payload timestamp is close enough to the message's arrival time to be
// trusted as event time (a mapping's max_clock_skew and max_sample_age). A device whose
// clock was never set, or that sends microseconds as milliseconds, must not move its
// event time years away: the analytics would then take each later sample as late.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgegw/mapping.hpp"

namespace edgegw::mapping {

// Nothing when `timestamp_ms` is within the bounds (a timestamp exactly at a bound is
// within); else a sentence naming the field, the timestamp, the arrival time and the
// bound it broke.
std::optional<std::string> check_timestamp_bounds(std::int64_t timestamp_ms,
                                                  std::int64_t arrival_ms,
                                                  const TimestampBounds& bounds,
                                                  std::string_view field);

}  // namespace edgegw::mapping
