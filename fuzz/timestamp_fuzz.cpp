// The timestamp parsers: ISO-8601 text, and numbers in seconds or milliseconds. A text
// that parses must come back to the same instant through the formatter.

#include <bit>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "edgegw/time_format.hpp"
#include "fuzz_target.hpp"
#include "mapping/timestamp_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto ms = edgegw::parse_iso8601_ms(text)) {
    auto again = edgegw::parse_iso8601_ms(edgegw::iso8601_utc(ms.value()));
    if (!again || again.value() != ms.value()) {
      std::abort();
    }
  }
  // The same bytes as a double: the one number parser of both formats.
  if (size >= sizeof(double)) {
    double value = 0;
    std::memcpy(&value, data, sizeof(value));
    (void)edgegw::mapping::epoch_ms_from_number(value, edgegw::TimestampFormat::seconds);
    (void)edgegw::mapping::epoch_ms_from_number(value, edgegw::TimestampFormat::milliseconds);
  }
  return 0;
}
