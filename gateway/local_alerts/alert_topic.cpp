#include "local_alerts/alert_topic.hpp"

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

}  // namespace edgegw::local_alerts
