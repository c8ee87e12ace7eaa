#pragma once
// The Kafka key of a record, from the configured key template: `{device}` (the default)
// or any mix of literal text, `{device}` and tag names such as `{site}/{device}`.

#include <string>
#include <string_view>
#include <vector>

#include "edgegw/result.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::records {

class RecordKey {
 public:
  // Fails when the template has an unclosed brace.
  static Result<RecordKey> parse(std::string_view key_template);

  // A placeholder the sample lacks renders as empty.
  [[nodiscard]] std::string render(const Sample& sample) const;
  // The names between braces, in order: `device` or tag names.
  [[nodiscard]] std::vector<std::string> placeholders() const;

 private:
  struct Part {
    bool placeholder;
    std::string text;
  };
  std::vector<Part> parts_;
};

}  // namespace edgegw::records
