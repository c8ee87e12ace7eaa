#include "mapping/timestamp_parser.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <ctime>

#include "mapping/mapping_errc.hpp"

namespace edgegw::mapping {
namespace {

// Reads exactly `digits` decimal digits at text[pos].
bool read_fixed(std::string_view text, std::size_t& pos, int digits, int& out) {
  if (pos + static_cast<std::size_t>(digits) > text.size()) {
    return false;
  }
  out = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos++];
    if (c < '0' || c > '9') {
      return false;
    }
    out = out * 10 + (c - '0');
  }
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm), so
// that no time zone state of the process is involved.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays.at(static_cast<std::size_t>(month - 1));
}

}  // namespace

Result<std::int64_t> parse_iso8601_ms(std::string_view text) {
  auto bad = [&] {
    return make_error(MappingErrc::bad_timestamp,
                      fmt::format("'{}' is not an ISO-8601 timestamp", text));
  };
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_fixed(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_fixed(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_fixed(text, pos, 2, day)) {
    return bad();
  }
  if (!(expect(text, pos, 'T') || expect(text, pos, 't') || expect(text, pos, ' ')) ||
      !read_fixed(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_fixed(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_fixed(text, pos, 2, second)) {
    return bad();
  }
  // A date past its month's end would silently roll into the next month.
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return bad();
  }
  int millis = 0;
  if (expect(text, pos, '.') || expect(text, pos, ',')) {
    int scale = 100;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) {
      return bad();
    }
  }
  int offset_minutes = 0;
  if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
    // UTC
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos++] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!read_fixed(text, pos, 2, oh)) {
      return bad();
    }
    expect(text, pos, ':');
    if (pos < text.size() && !read_fixed(text, pos, 2, om)) {
      return bad();
    }
    if (oh > 23 || om > 59) {
      return bad();
    }
    offset_minutes = sign * (oh * 60 + om);
  }
  if (pos != text.size()) {
    return bad();
  }
  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 +
                               std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second -
                               std::int64_t{offset_minutes} * 60;
  return seconds * 1000 + millis;
}

Result<std::int64_t> epoch_ms_from_number(double value, TimestampFormat format) {
  const double ms = format == TimestampFormat::seconds ? value * 1000.0 : value;
  // Beyond ±year 5000 is a unit mix-up (microseconds sent as milliseconds, say).
  constexpr double kLimit = 9.5e13;
  if (!std::isfinite(ms) || std::fabs(ms) > kLimit) {
    return make_error(MappingErrc::bad_timestamp,
                      fmt::format("timestamp {} is out of range for {}", value,
                                  format == TimestampFormat::seconds ? "seconds" : "milliseconds"));
  }
  return static_cast<std::int64_t>(std::llround(ms));
}

}  // namespace edgegw::mapping
