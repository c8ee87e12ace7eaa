#include "edgegw/time_format.hpp"

#include <chrono>

#include <fmt/format.h>

namespace edgegw {

std::string iso8601_utc(std::int64_t epoch_ms) {
  using namespace std::chrono;
  // floor, not duration_cast: times before 1970 belong to the day that starts before them.
  const sys_time<milliseconds> time{milliseconds{epoch_ms}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> clock{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                     clock.subseconds().count());
}

}  // namespace edgegw
