#pragma once
// Epoch milliseconds as RFC 3339 text in UTC, for humans reading records.

#include <cstdint>
#include <string>

namespace edgegw {

std::string iso8601_utc(std::int64_t epoch_ms);

}  // namespace edgegw
