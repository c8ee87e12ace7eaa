#include "records/time_format.hpp"

#include <fmt/format.h>

namespace edgegw::records {
namespace {

struct CivilDate {
  int year;
  unsigned month;
  unsigned day;
};

// Inverse of days_from_civil (Howard Hinnant's algorithm); avoids the C library's
// time-zone state and its 32-bit limits.
CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  return {y, m, d};
}

}  // namespace

std::string iso8601_utc(std::int64_t epoch_ms) {
  std::int64_t days = epoch_ms / 86'400'000;
  std::int64_t ms_of_day = epoch_ms % 86'400'000;
  if (ms_of_day < 0) {
    ms_of_day += 86'400'000;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const std::int64_t seconds = ms_of_day / 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", date.year, date.month, date.day,
                     seconds / 3600, (seconds / 60) % 60, seconds % 60, ms_of_day % 1000);
}

}  // namespace edgegw::records
