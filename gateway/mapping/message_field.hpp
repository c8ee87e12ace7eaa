#pragma once
// Fields of the MQTT message rather than of its payload, written where a payload field
// goes (a sensor's `field`, a mapping's `tags`) with a leading `$`:
//   $content_type   the MQTT 5 Content Type
//   $user.<name>    the MQTT 5 user property <name> (the first, if repeated)
// The `$` cannot start a JSON field path of this gateway's configs, nor a CSV column that
// a mapping would list, so the two syntaxes never meet.

#include <optional>
#include <string>
#include <string_view>

#include "edgegw/message_properties.hpp"
#include "edgegw/result.hpp"

namespace edgegw::mapping {

struct MessageField {
  enum class Kind { content_type, user_property };
  Kind kind = Kind::content_type;
  std::string name;  // the user property's name

  // The value in `properties`, or nullptr when the message does not carry it.
  [[nodiscard]] const std::string* find(const MessageProperties& properties) const;
  // The name a tag of this field takes in records: `content_type`, or the property's name.
  [[nodiscard]] std::string_view tag_name() const;
};

// True when `field` is written as a message field (starts with `$`).
[[nodiscard]] inline bool is_message_field(std::string_view field) {
  return !field.empty() && field.front() == '$';
}

// Parses `$content_type` or `$user.<name>`; an error naming both forms otherwise.
Result<MessageField> parse_message_field(std::string_view field);

}  // namespace edgegw::mapping
