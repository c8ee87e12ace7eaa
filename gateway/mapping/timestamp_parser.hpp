#pragma once
// Turns a device's numeric timestamp (epoch seconds or milliseconds) into Unix epoch
// milliseconds. ISO-8601 text goes to edgegw::parse_iso8601_ms (edgegw/time_format.hpp),
// the parser the mapper shares with the analyze command and the simulator.

#include <cstdint>
#include <string_view>

#include "edgegw/mapping.hpp"
#include "edgegw/result.hpp"

namespace edgegw::mapping {

Result<std::int64_t> epoch_ms_from_number(double value, TimestampFormat format);

// A time in a file (analyze's input, a recording's arrival times): epoch seconds or
// milliseconds told apart by size (below 1e11 is seconds, which covers dates up to the
// year 5138; a fraction is kept to the millisecond), else ISO-8601.
Result<std::int64_t> parse_time_text(std::string_view text);

}  // namespace edgegw::mapping
