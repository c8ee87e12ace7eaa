#include "config/option_bounds.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace edgegw::config {
namespace {

// A count range of up to three values reads best as the values themselves ("0, 1 or 2").
bool is_short_list(const Bounds& b, ValueUnit unit) {
  return unit == ValueUnit::count && b.min && b.max && !b.min_open && !b.max_open &&
         *b.max - *b.min <= 2 && *b.max > *b.min;
}

std::string short_list(const Bounds& b) {
  std::string text = fmt::format("{}", *b.min);
  for (double v = *b.min + 1; v < *b.max; ++v) {
    text += fmt::format(", {}", v);
  }
  return text + fmt::format(" or {}", *b.max);
}

}  // namespace

std::string format_duration(std::int64_t ms) {
  if (ms == 0) {
    return "0s";  // no unit reads more naturally than another for nothing
  }
  constexpr std::array<std::pair<std::int64_t, const char*>, 4> kUnits{
      {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}}};
  for (const auto& [size, suffix] : kUnits) {
    if (ms % size == 0) {
      return fmt::format("{}{}", ms / size, suffix);
    }
  }
  return fmt::format("{}ms", ms);
}

std::string format_bytes(std::uint64_t bytes) {
  constexpr std::array<std::pair<std::uint64_t, const char*>, 3> kUnits{
      {{1ULL << 30U, "GiB"}, {1ULL << 20U, "MiB"}, {1ULL << 10U, "KiB"}}};
  for (const auto& [size, suffix] : kUnits) {
    if (bytes != 0 && bytes % size == 0) {
      return fmt::format("{}{}", bytes / size, suffix);
    }
  }
  return fmt::format("{}", bytes);
}

std::string format_value(double value, ValueUnit unit) {
  switch (unit) {
    case ValueUnit::milliseconds:
      return format_duration(static_cast<std::int64_t>(value));
    case ValueUnit::bytes:
      return format_bytes(static_cast<std::uint64_t>(value));
    case ValueUnit::count:
    case ValueUnit::number:
      break;
  }
  return fmt::format("{}", value);
}

std::string bounds_text(const Bounds& b, ValueUnit unit) {
  if (is_short_list(b, unit)) {
    return short_list(b);
  }
  const auto value = [unit](double v) { return format_value(v, unit); };
  if (b.min && b.max && (b.min_open || b.max_open)) {
    return fmt::format("{} {} and {} {}", b.min_open ? "above" : "at least", value(*b.min),
                       b.max_open ? "below" : "at most", value(*b.max));
  }
  if (b.min && b.max) {
    return fmt::format("{} to {}", value(*b.min), value(*b.max));
  }
  if (b.min) {
    return fmt::format("{} {}", b.min_open ? "above" : "at least", value(*b.min));
  }
  if (b.max) {
    return fmt::format("{} {}", b.max_open ? "below" : "at most", value(*b.max));
  }
  return "";
}

std::optional<std::string> bounds_problem(double value, const Bounds& b, ValueUnit unit) {
  const bool low = b.min && (b.min_open ? !(value > *b.min) : !(value >= *b.min));
  const bool high = b.max && (b.max_open ? !(value < *b.max) : !(value <= *b.max));
  if (!low && !high) {
    return std::nullopt;
  }
  std::string problem;
  if (is_short_list(b, unit)) {
    problem = "must be " + short_list(b);
  } else if (b.min && b.max && !b.min_open && !b.max_open) {
    problem = fmt::format("must be between {} and {}", format_value(*b.min, unit),
                          format_value(*b.max, unit));
  } else if (b.min_open && !b.max) {
    problem = "must be greater than " + format_value(*b.min, unit);
  } else {
    problem = "must be " + bounds_text(b, unit);
  }
  // A size written with a suffix is easier to fix knowing what it came to.
  if (unit == ValueUnit::bytes) {
    problem += fmt::format(" (got {} bytes)", static_cast<std::uint64_t>(value));
  }
  return problem;
}

}  // namespace edgegw::config
