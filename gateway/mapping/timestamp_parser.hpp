#pragma once
// Turns a device's timestamp (epoch seconds, epoch milliseconds, or ISO-8601 text) into
// Unix epoch milliseconds.

#include <cstdint>
#include <string_view>

#include "edgegw/mapping.hpp"
#include "edgegw/result.hpp"

namespace edgegw::mapping {

// ISO-8601 / RFC 3339: 2024-05-01T12:00:00Z, with optional fraction and +hh:mm offset;
// a space instead of 'T' is accepted; no zone means UTC.
Result<std::int64_t> parse_iso8601_ms(std::string_view text);

Result<std::int64_t> epoch_ms_from_number(double value, TimestampFormat format);

}  // namespace edgegw::mapping
