// Topic templates: the input up to the first newline is the template, the rest a topic
// matched against it. Checks that a capture is a view into the topic, one level long.

#include <cstdlib>
#include <string_view>

#include "fuzz_target.hpp"
#include "mapping/topic_template.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view text = input.substr(0, newline);
  const std::string_view topic =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  auto parsed = edgegw::mapping::TopicTemplate::parse(text);
  if (!parsed) {
    return 0;
  }
  const auto& tmpl = parsed.value();
  (void)tmpl.subscription_filter();
  (void)tmpl.capture_names();
  edgegw::mapping::Captures captures;
  if (tmpl.match(topic, captures)) {
    for (const auto& [name, level] : captures) {
      const bool inside = level.data() >= topic.data() &&
                          level.data() + level.size() <= topic.data() + topic.size();
      if (!tmpl.has_capture(name) || !inside || level.find('/') != std::string_view::npos) {
        std::abort();
      }
    }
  }
  return 0;
}
