#include "store/segment.hpp"

#include <fmt/format.h>

#include <charconv>

namespace edgegw::store {

namespace {
constexpr std::string_view kSuffix = ".seg";
constexpr std::size_t kDigits = 20;
}  // namespace

std::string segment_file_name(std::uint64_t base_offset) {
  return fmt::format("{:020d}{}", base_offset, kSuffix);
}

std::optional<std::uint64_t> parse_segment_file_name(std::string_view name) {
  if (name.size() != kDigits + kSuffix.size() || !name.ends_with(kSuffix)) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const char* end = name.data() + kDigits;
  const auto [ptr, ec] = std::from_chars(name.data(), end, value);
  if (ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

}  // namespace edgegw::store
