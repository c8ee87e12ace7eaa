#pragma once
// The bounds of a numeric config key, in the unit its values are written in, so that the
// same declaration both checks a value ("must be between 4KiB and 256MiB") and shows in
// the reference table ("4KiB to 256MiB").

#include <cstdint>
#include <optional>
#include <string>

namespace edgegw::config {

// How a key's values are written: decides how bounds and defaults read in messages and docs.
enum class ValueUnit { count, number, milliseconds, bytes };

struct Bounds {
  std::optional<double> min;
  std::optional<double> max;
  bool min_open = false;  // the value must exceed min, not merely reach it
  bool max_open = false;
};

inline Bounds at_least(double min) {
  Bounds b;
  b.min = min;
  return b;
}
inline Bounds above(double min) {
  Bounds b = at_least(min);
  b.min_open = true;
  return b;
}
inline Bounds between(double min, double max) {
  Bounds b = at_least(min);
  b.max = max;
  return b;
}
// Strictly inside (min, max), as a probability that may be neither 0 nor a coin toss.
inline Bounds strictly_between(double min, double max) {
  Bounds b = between(min, max);
  b.min_open = true;
  b.max_open = true;
  return b;
}

// "200ms", "30s", "5m", "24h", "7d": the largest unit that writes `ms` exactly.
std::string format_duration(std::int64_t ms);
// "512", "64KiB", "16MiB", "1GiB": the largest binary unit that writes `bytes` exactly.
std::string format_bytes(std::uint64_t bytes);
// A value as a user writes it in `unit`.
std::string format_value(double value, ValueUnit unit);

// "0, 1 or 2", "at least 1s", "4KiB to 256MiB"; empty without bounds.
std::string bounds_text(const Bounds& bounds, ValueUnit unit);
// Why `value` is outside `bounds` ("must be at least 1s"), or nothing.
std::optional<std::string> bounds_problem(double value, const Bounds& bounds, ValueUnit unit);

}  // namespace edgegw::config
