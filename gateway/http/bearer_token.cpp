#include "http/bearer_token.hpp"

#include <algorithm>
#include <cctype>

namespace edgegw::http {

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Every byte of the longer one is visited whatever the contents; only the lengths (not
  // secret enough to matter for a token of fixed length) change the time.
  const std::size_t length = std::max(a.size(), b.size());
  unsigned difference = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < length; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    difference |= static_cast<unsigned>(x ^ y);
  }
  return difference == 0;
}

bool carries_bearer_token(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "bearer ";
  if (token.empty() || authorization.size() < kScheme.size()) {
    return false;
  }
  const bool is_bearer = std::equal(
      kScheme.begin(), kScheme.end(), authorization.begin(),
      [](char want, char got) { return want == std::tolower(static_cast<unsigned char>(got)); });
  return is_bearer && constant_time_equal(authorization.substr(kScheme.size()), token);
}

}  // namespace edgegw::http
