#pragma once
// Unix epoch milliseconds and ISO-8601 text, both ways: the one formatter (records for
// humans) and the one parser, shared by the mapper (device timestamps), `edgegw analyze`
// (input files) and the simulator (fleet files), so that all of them read the same
// texts. Pure: no time-zone state of the process is used.

#include <cstdint>
#include <string>
#include <string_view>

#include "edgegw/result.hpp"

namespace edgegw {

// Epoch milliseconds as RFC 3339 text in UTC, for humans reading records.
std::string iso8601_utc(std::int64_t epoch_ms);

// ISO-8601 / RFC 3339: 2024-05-01T12:00:00Z, with an optional fraction ('.' or ',';
// digits beyond milliseconds are cut) and +hh:mm, +hhmm or +hh offset; 't', 'z' and a
// space instead of 'T' are accepted; no zone means UTC. A date or time that does not
// exist (2023-02-29, 24:00) is an error (std::errc::invalid_argument), never rolled
// over.
Result<std::int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace edgegw
