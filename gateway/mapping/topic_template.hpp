#pragma once
// A topic template such as `factory/{site}/{device}/telemetry`: literal levels, named
// captures `{name}` (one level each), MQTT's `+` (one level, not captured) and a final
// `#` (any remaining levels). Matching is allocation-free apart from the captures.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgegw/result.hpp"

namespace edgegw::mapping {

using Captures = std::vector<std::pair<std::string_view, std::string_view>>;

class TopicTemplate {
 public:
  static Result<TopicTemplate> parse(std::string_view text);

  // On a match, fills `captures` with (name, level) views into this template and `topic`.
  bool match(std::string_view topic, Captures& captures) const;

  // The MQTT subscription filter that receives every topic this template can match.
  [[nodiscard]] std::string subscription_filter() const;
  [[nodiscard]] bool has_capture(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> capture_names() const;
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  enum class Kind { literal, capture, single_wildcard, multi_wildcard };
  struct Level {
    Kind kind;
    std::string text;  // the literal, or the capture's name
  };

  std::string text_;
  std::vector<Level> levels_;
};

// Splits `text` at '/', keeping empty levels (MQTT topics may have them).
std::vector<std::string_view> split_topic(std::string_view text);

}  // namespace edgegw::mapping
