#pragma once
// Range checks for analytics::validate(): each failed check appends one "key: problem"
// sentence, with the key spelt as in the config file (analytics.profiles.<name>.<key>),
// so that the config parser can point at the line that holds it.

#include <string>
#include <vector>

namespace edgegw::analytics {

struct ConfigChecker {
  std::vector<std::string>& errors;
  std::string prefix;  // "analytics." or "analytics.profiles.<name>."

  void fail(const std::string& key, const std::string& problem) {
    errors.push_back(prefix + key + ": " + problem);
  }
  void positive(const char* key, double v) {
    if (!(v > 0.0)) {
      fail(key, "must be greater than 0");
    }
  }
  // A false-alarm rate per sample.
  void rate(const char* key, double v) {
    if (!(v > 0.0 && v < 0.5)) {
      fail(key, "must be a probability between 0 and 0.5, like 1e-4");
    }
  }
  void range(const char* key, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      fail(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
  }
};

}  // namespace edgegw::analytics
