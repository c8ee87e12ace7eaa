#pragma once
// Turns a device's numeric timestamp (epoch seconds or milliseconds) into Unix epoch
// milliseconds. ISO-8601 text goes to edgegw::parse_iso8601_ms (edgegw/time_format.hpp),
// the parser the mapper shares with the analyze command and the simulator.

#include <cstdint>

#include "edgegw/mapping.hpp"
#include "edgegw/result.hpp"

namespace edgegw::mapping {

Result<std::int64_t> epoch_ms_from_number(double value, TimestampFormat format);

}  // namespace edgegw::mapping
