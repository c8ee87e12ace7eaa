#pragma once
// A field path into a JSON document: `metrics.flow.value`, `values[2]`, `a.b[0].c`.
// Parsed once at start-up; looked up per message without allocating.

#include <simdjson.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "edgegw/result.hpp"

namespace edgegw::mapping {

class JsonPath {
 public:
  static Result<JsonPath> parse(std::string_view text);

  // The node at this path; false when any step is missing or of the wrong kind. Of an
  // object's duplicate keys the last one counts, as in most JSON libraries' documents.
  [[nodiscard]] bool find(simdjson::dom::element root, simdjson::dom::element& node) const;
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  using Step = std::variant<std::string, std::size_t>;  // object key or array index
  std::string text_;
  std::vector<Step> steps_;
};

}  // namespace edgegw::mapping
