#include "mapping/timestamp_parser.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "edgegw/time_format.hpp"
#include "mapping/mapping_errc.hpp"

namespace edgegw::mapping {

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

Result<std::int64_t> parse_time_text(std::string_view text) {
  double number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && end == text.data() + text.size()) {
    return epoch_ms_from_number(number, std::fabs(number) < 1e11 ? TimestampFormat::seconds
                                                                 : TimestampFormat::milliseconds);
  }
  return parse_iso8601_ms(text);
}

}  // namespace edgegw::mapping
