#include "mapping/topic_template.hpp"

#include <fmt/format.h>

#include "mapping/mapping_errc.hpp"

namespace edgegw::mapping {

std::vector<std::string_view> split_topic(std::string_view text) {
  std::vector<std::string_view> levels;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) {
      levels.push_back(text.substr(start));
      return levels;
    }
    levels.push_back(text.substr(start, slash - start));
    start = slash + 1;
  }
}

Result<TopicTemplate> TopicTemplate::parse(std::string_view text) {
  if (text.empty()) {
    return make_error(MappingErrc::bad_template, "a topic template must not be empty");
  }
  TopicTemplate t;
  t.text_ = std::string(text);
  const std::vector<std::string_view> levels = split_topic(text);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string_view level = levels[i];
    if (level == "#") {
      if (i + 1 != levels.size()) {
        return make_error(MappingErrc::bad_template,
                          fmt::format("'#' must be the last level in '{}'", text));
      }
      t.levels_.push_back({Kind::multi_wildcard, ""});
    } else if (level == "+") {
      t.levels_.push_back({Kind::single_wildcard, ""});
    } else if (level.size() >= 2 && level.front() == '{' && level.back() == '}') {
      const std::string name(level.substr(1, level.size() - 2));
      if (name.empty() || name.find_first_of("{}+#") != std::string::npos) {
        return make_error(MappingErrc::bad_template,
                          fmt::format("bad capture '{}' in '{}'", level, text));
      }
      if (t.has_capture(name)) {
        return make_error(MappingErrc::bad_template,
                          fmt::format("capture '{}' appears twice in '{}'", name, text));
      }
      t.levels_.push_back({Kind::capture, name});
    } else if (level.find_first_of("{}+#") != std::string_view::npos) {
      return make_error(MappingErrc::bad_template,
                        fmt::format("level '{}' in '{}' mixes text with {{}}, + or #: a "
                                    "capture or wildcard must be a whole level",
                                    level, text));
    } else {
      t.levels_.push_back({Kind::literal, std::string(level)});
    }
  }
  return t;
}

bool TopicTemplate::match(std::string_view topic, Captures& captures) const {
  captures.clear();
  std::size_t pos = 0;
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    const Level& level = levels_[i];
    if (level.kind == Kind::multi_wildcard) {
      return true;  // '#' also matches the parent level itself, as in MQTT
    }
    if (pos > topic.size()) {
      return false;
    }
    const std::size_t slash = topic.find('/', pos);
    const std::size_t end = slash == std::string_view::npos ? topic.size() : slash;
    const std::string_view part = topic.substr(pos, end - pos);
    if (level.kind == Kind::literal && part != level.text) {
      return false;
    }
    if (level.kind == Kind::capture) {
      if (part.empty()) {
        return false;  // an empty device or site name is never meant
      }
      captures.emplace_back(level.text, part);
    }
    pos = end + 1;  // past the slash; past the end when there is none
  }
  return pos == topic.size() + 1;  // every level of the topic was consumed
}

std::string TopicTemplate::subscription_filter() const {
  std::string filter;
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    if (i > 0) {
      filter += '/';
    }
    switch (levels_[i].kind) {
      case Kind::literal:
        filter += levels_[i].text;
        break;
      case Kind::capture:
      case Kind::single_wildcard:
        filter += '+';
        break;
      case Kind::multi_wildcard:
        filter += '#';
        break;
    }
  }
  return filter;
}

bool TopicTemplate::has_capture(std::string_view name) const {
  for (const Level& level : levels_) {
    if (level.kind == Kind::capture && level.text == name) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> TopicTemplate::capture_names() const {
  std::vector<std::string> names;
  for (const Level& level : levels_) {
    if (level.kind == Kind::capture) {
      names.push_back(level.text);
    }
  }
  return names;
}

}  // namespace edgegw::mapping
