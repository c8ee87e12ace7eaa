#pragma once
// What an MQTT 5 message carries besides its topic and payload that a mapping may read:
// its content type and its user properties. The session fills it only when a mapping
// asks for one of them (mapping::reads_message_properties), so that a plain message
// costs nothing extra; otherwise it stays empty.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgegw {

struct MessageProperties {
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> user;  // in the order sent; names may repeat

  // The value of the first user property called `name`, or nullptr.
  [[nodiscard]] const std::string* user_property(std::string_view name) const {
    for (const auto& [key, value] : user) {
      if (key == name) {
        return &value;
      }
    }
    return nullptr;
  }

  void clear() {
    content_type.clear();
    user.clear();
  }
};

// The properties of a message that has none (MQTT 3.1.1, or nobody asked).
inline const MessageProperties kNoMessageProperties{};

}  // namespace edgegw
