#include "local_alerts/alert_topic.hpp"

#include <fmt/format.h>

#include "edgegw/text.hpp"

namespace edgegw::local_alerts {
namespace {

void replace_all(std::string& text, std::string_view placeholder, std::string_view value) {
  for (auto at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
}

}  // namespace

std::string alert_topic(std::string_view topic_template, std::string_view gateway,
                        std::string_view device, std::string_view source,
                        std::string_view severity) {
  std::string topic(topic_template);
  replace_all(topic, "{gateway}", gateway);
  replace_all(topic, "{device}", device);
  replace_all(topic, "{source}", source);
  replace_all(topic, "{severity}", severity);
  return topic;
}

std::optional<std::string> publish_topic_problem(std::string_view topic) {
  constexpr std::size_t kMaxTopicBytes = 65'535;
  if (topic.empty()) {
    return "the topic is empty";
  }
  if (topic.size() > kMaxTopicBytes) {
    return fmt::format("the topic is {} bytes long, MQTT allows {}", topic.size(), kMaxTopicBytes);
  }
  if (!is_valid_utf8(topic) || topic.find('\0') != std::string_view::npos) {
    return "the topic is not UTF-8 text without NUL";
  }
  if (topic.find_first_of("+#") != std::string_view::npos) {
    return "the topic holds a wildcard ('+' or '#')";
  }
  return std::nullopt;
}

}  // namespace edgegw::local_alerts
