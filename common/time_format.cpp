#include "edgegw/time_format.hpp"

#include <chrono>

#include <fmt/format.h>

namespace edgegw {
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

// Writes `value` as exactly `width` decimal digits at text[pos], zero-padded.
void put_digits(std::string& text, std::size_t pos, int width, unsigned value) {
  for (std::size_t i = pos + static_cast<std::size_t>(width); i > pos; --i) {
    text[i - 1] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string iso8601_utc(std::int64_t epoch_ms) {
  using namespace std::chrono;
  // floor, not duration_cast: times before 1970 belong to the day that starts before them.
  const sys_time<milliseconds> time{milliseconds{epoch_ms}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> clock{time - day};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {  // five digits or a sign: rare enough for fmt
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year,
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                       clock.subseconds().count());
  }
  // Every telemetry record carries one: written digit by digit, several times cheaper
  // than formatting (the same text, which a test checks against fmt's).
  std::string text = "0000-00-00T00:00:00.000Z";
  put_digits(text, 0, 4, static_cast<unsigned>(year));
  put_digits(text, 5, 2, static_cast<unsigned>(date.month()));
  put_digits(text, 8, 2, static_cast<unsigned>(date.day()));
  put_digits(text, 11, 2, static_cast<unsigned>(clock.hours().count()));
  put_digits(text, 14, 2, static_cast<unsigned>(clock.minutes().count()));
  put_digits(text, 17, 2, static_cast<unsigned>(clock.seconds().count()));
  put_digits(text, 20, 3, static_cast<unsigned>(clock.subseconds().count()));
  return text;
}

Result<std::int64_t> parse_iso8601_ms(std::string_view text) {
  auto bad = [&] {
    // No caller tells this failure apart from others (the mapper files it under its own
    // bad_timestamp reason), so the generic code; the message says what was wrong.
    return make_error(std::make_error_code(std::errc::invalid_argument),
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
  // The calendar's own check (proleptic Gregorian, leap years included): a date past its
  // month's end would otherwise silently roll into the next month. A leap second (:60)
  // is kept as the first second of the next minute.
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
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
  // sys_days counts days since 1970-01-01 in UTC, independent of the process's zone.
  const std::chrono::sys_time<std::chrono::milliseconds> instant =
      std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
      std::chrono::seconds{second} + std::chrono::milliseconds{millis} -
      std::chrono::minutes{offset_minutes};
  // An offset (or a leap second) can move an instant out of years 0000-9999, which
  // iso8601_utc() could not write back in four digits (0000-01-01T00:00+01:00 is in year
  // -1): refused, so that every instant parsed is one the formatter writes readably.
  using std::chrono::sys_days;
  if (instant < sys_days{std::chrono::year{0} / 1 / 1} ||
      instant >= sys_days{std::chrono::year{10000} / 1 / 1}) {
    return bad();
  }
  return static_cast<std::int64_t>(instant.time_since_epoch().count());
}

}  // namespace edgegw
