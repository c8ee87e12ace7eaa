#pragma once
// "Did you mean" for a misspelt config key: the known key a typo most likely stands for.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgegw::config {

// The known key within a typo or two of `unknown` (a swapped pair counts as one), the
// closest first; nothing when none is that close, so that a wild guess is never offered.
std::optional<std::string> closest_key(std::string_view unknown,
                                       const std::vector<std::string_view>& known);

}  // namespace edgegw::config
