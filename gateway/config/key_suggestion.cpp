#include "config/key_suggestion.hpp"

#include <algorithm>

namespace edgegw::config {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// neighbours, the usual slips of a keyboard.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> closest_key(std::string_view unknown,
                                       const std::vector<std::string_view>& known) {
  // Short keys tolerate one slip, longer ones two: "qso" is qos, "fsnc" is not mqtt.
  const std::size_t tolerance = unknown.size() <= 4 ? 1 : 2;
  std::optional<std::string> best;
  std::size_t best_distance = tolerance + 1;
  for (std::string_view k : known) {
    const std::size_t distance = edit_distance(unknown, k);
    if (distance < best_distance) {
      best = std::string(k);
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace edgegw::config
