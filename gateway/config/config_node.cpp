#include "config/config_node.hpp"

#include "config/env_expansion.hpp"
#include "config/key_suggestion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

namespace edgegw::config {
namespace {

int line_of(const YAML::Node& node, int fallback) {
  if (!node.IsDefined()) {
    return fallback;
  }
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : fallback;
}

std::string join_key(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// Splits "16MiB" into 16 and "MiB"; "200ms" into 200 and "ms".
std::pair<double, std::string> split_number_suffix(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) {
    ++i;
  }
  double number = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (i == 0 || ec != std::errc() || ptr != text.data() + i) {
    return {-1, ""};
  }
  std::string suffix = text.substr(i);
  while (!suffix.empty() && suffix.front() == ' ') {
    suffix.erase(0, 1);
  }
  return {number, suffix};
}

// References are expanded after parsing, so in a flow collection `{ a: ${X} }` the
// braces of an unquoted reference are YAML syntax; say so when the failing line has one.
std::string flow_reference_hint(const std::string& text, int line) {
  std::size_t begin = 0;
  for (int i = 0; i < line && begin != std::string::npos; ++i) {
    begin = text.find('\n', begin);
    begin = begin == std::string::npos ? begin : begin + 1;
  }
  if (begin == std::string::npos) {
    return "";
  }
  const std::string_view line_text =
      std::string_view(text).substr(begin, text.find('\n', begin) - begin);
  return line_text.find("${") == std::string_view::npos
             ? ""
             : " (inside { } or [ ], write a ${...} reference in quotes)";
}

}  // namespace

ConfigNode::ConfigNode(const YAML::Node& node, std::shared_ptr<const std::string> file,
                       std::string key, int line)
    : node_(node), file_(std::move(file)), key_(std::move(key)), line_(line) {}

ConfigNode ConfigNode::load_string(const std::string& text, const std::string& name) {
  auto file = std::make_shared<const std::string>(name);
  YAML::Node document;
  try {
    document = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(fmt::format("{}:{}: invalid YAML: {}{}", name, e.mark.line + 1, e.msg,
                                  flow_reference_hint(text, e.mark.line)));
  }
  ConfigNode root(document, file, "", 1);
  root.expand_environment_in_values();
  return root;
}

ConfigNode ConfigNode::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw ConfigError(fmt::format("{}: cannot read the config file", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return load_string(text.str(), path);
}

void ConfigNode::expand_environment_in_values() const {
  if (node_.IsMap()) {
    for (const auto& [name, value] : entries()) {
      value.expand_environment_in_values();
    }
  } else if (node_.IsSequence()) {
    for (const ConfigNode& item : items()) {
      item.expand_environment_in_values();
    }
  } else if (node_.IsScalar() && node_.Scalar().find('$') != std::string::npos) {
    Result<std::string> expanded = expand_environment(node_.Scalar());
    if (!expanded) {
      fail(expanded.error().message);
    }
    YAML::Node value = node_;  // a handle on the same parsed node: assigning rewrites it
    // An unquoted value that expands to nothing is absent, as an empty unquoted YAML value
    // is: `password: ${PASSWORD:-}` leaves the password unset. A quoted one is "".
    const bool plain = node_.Tag() == "?";
    if (plain && expanded.value().empty()) {
      value = YAML::Null;
    } else {
      value = expanded.value();
    }
  }
}

bool ConfigNode::has(std::string_view key) const {
  return child(key).defined();
}

ConfigNode ConfigNode::child(std::string_view key) const {
  if (!defined()) {
    // Children of an absent section are absent too (and keep the parent's line).
    return ConfigNode(YAML::Node(YAML::NodeType::Undefined), file_, join_key(key_, key), line_);
  }
  if (!node_.IsMap()) {
    fail(fmt::format("expected a map with key '{}'", key));
  }
  // The key's line, not the value's: a block map or list starts on the line below.
  for (const auto& kv : node_) {
    if (kv.first.Scalar() == key) {
      return ConfigNode(kv.second, file_, join_key(key_, key), line_of(kv.first, line_));
    }
  }
  return ConfigNode(YAML::Node(YAML::NodeType::Undefined), file_, join_key(key_, key), line_);
}

ConfigNode ConfigNode::required(std::string_view key) const {
  ConfigNode c = child(key);
  if (!c.defined()) {
    fail(fmt::format("'{}' is required", key));
  }
  return c;
}

void ConfigNode::fail(std::string_view what) const {
  throw ConfigError(located(what));
}

std::string ConfigNode::located(std::string_view what) const {
  if (key_.empty()) {
    return fmt::format("{}:{}: {}", *file_, line_, what);
  }
  return fmt::format("{}:{}: {}: {}", *file_, line_, key_, what);
}

std::string ConfigNode::scalar_text() const {
  if (!node_.IsScalar()) {
    fail("expected a single value");
  }
  return node_.Scalar();
}

template <>
std::string ConfigNode::as<std::string>() const {
  return scalar_text();
}

template <>
bool ConfigNode::as<bool>() const {
  const std::string text = scalar_text();
  if (text == "true" || text == "yes" || text == "on") {
    return true;
  }
  if (text == "false" || text == "no" || text == "off") {
    return false;
  }
  fail(fmt::format("expected true or false, got '{}'", text));
}

template <>
double ConfigNode::as<double>() const {
  const std::string text = scalar_text();
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    fail(fmt::format("expected a number, got '{}'", text));
  }
  return value;
}

template <>
std::int64_t ConfigNode::as<std::int64_t>() const {
  const std::string text = scalar_text();
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    fail(fmt::format("expected an integer, got '{}'", text));
  }
  return value;
}

template <>
int ConfigNode::as<int>() const {
  const std::int64_t value = as<std::int64_t>();
  if (value < INT32_MIN || value > INT32_MAX) {
    fail(fmt::format("{} is out of range", value));
  }
  return static_cast<int>(value);
}

template <>
std::vector<std::string> ConfigNode::as<std::vector<std::string>>() const {
  std::vector<std::string> out;
  for (const ConfigNode& item : items()) {
    out.push_back(item.as<std::string>());
  }
  return out;
}

std::chrono::milliseconds ConfigNode::as_duration() const {
  const std::string text = scalar_text();
  const auto [number, suffix] = split_number_suffix(text);
  double factor = -1;
  if (suffix.empty() || suffix == "ms") {
    factor = 1;
  } else if (suffix == "s") {
    factor = 1000;
  } else if (suffix == "m" || suffix == "min") {
    factor = 60'000;
  } else if (suffix == "h") {
    factor = 3'600'000;
  } else if (suffix == "d") {
    factor = 86'400'000;
  }
  if (number < 0 || factor < 0) {
    fail(fmt::format("expected a duration like 200ms, 5s, 2m, 1h or 7d, got '{}'", text));
  }
  // Beyond, llround() has no defined result, and sums with a clock reading could overflow.
  constexpr double kMaxMs = 1e15;  // about 31,700 years
  if (number * factor > kMaxMs) {
    fail(fmt::format("'{}' is longer than any duration the gateway can use", text));
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(number * factor)));
}

std::chrono::milliseconds ConfigNode::as_duration_or_none() const {
  return scalar_text() == "none" ? std::chrono::milliseconds(0) : as_duration();
}

std::uint64_t ConfigNode::as_bytes() const {
  const std::string text = scalar_text();
  const auto [number, suffix] = split_number_suffix(text);
  double factor = -1;
  if (suffix.empty() || suffix == "B") {
    factor = 1;
  } else if (suffix == "KiB") {
    factor = 1024.0;
  } else if (suffix == "MiB") {
    factor = 1024.0 * 1024;
  } else if (suffix == "GiB") {
    factor = 1024.0 * 1024 * 1024;
  } else if (suffix == "KB") {
    factor = 1e3;
  } else if (suffix == "MB") {
    factor = 1e6;
  } else if (suffix == "GB") {
    factor = 1e9;
  }
  if (number < 0 || factor < 0) {
    fail(fmt::format("expected a size like 512KiB, 64MiB or 2GiB, got '{}'", text));
  }
  // Beyond, llround() has no defined result (a huge size came out as 2^63).
  constexpr double kMaxBytes = 0x1p60;  // 1 EiB
  if (number * factor > kMaxBytes) {
    fail(fmt::format("'{}' is larger than any size the gateway can use", text));
  }
  return static_cast<std::uint64_t>(std::llround(number * factor));
}

std::string ConfigNode::as_choice(std::initializer_list<std::string_view> choices) const {
  return as_choice(std::vector<std::string_view>(choices));
}

std::string ConfigNode::as_choice(const std::vector<std::string_view>& choices) const {
  std::string text = scalar_text();
  std::string listed;
  for (std::string_view c : choices) {
    if (c == text) {
      return text;
    }
    listed += listed.empty() ? "" : ", ";
    listed += c;
  }
  fail(fmt::format("'{}' is not one of: {}", text, listed));
}

std::vector<ConfigNode> ConfigNode::items() const {
  std::vector<ConfigNode> out;
  if (!defined()) {
    return out;
  }
  if (!node_.IsSequence()) {
    fail("expected a list");
  }
  for (std::size_t i = 0; i < node_.size(); ++i) {
    out.emplace_back(node_[i], file_, fmt::format("{}[{}]", key_, i), line_of(node_[i], line_));
  }
  return out;
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::entries() const {
  std::vector<std::pair<std::string, ConfigNode>> out;
  if (!defined()) {
    return out;
  }
  if (!node_.IsMap()) {
    fail("expected a map");
  }
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar() && !kv.first.IsNull()) {
      // YAML allows a list or map as a key (`[a, b]: 1`, `? {a: 1}`); no key of ours is one.
      ConfigNode(kv.first, file_, key_, line_of(kv.first, line_))
          .fail("a list or map is not a valid key: keys are names");
    }
    const std::string name = kv.first.as<std::string>();
    out.emplace_back(name,
                     ConfigNode(kv.second, file_, join_key(key_, name), line_of(kv.first, line_)));
  }
  return out;
}

void ConfigNode::check_keys(std::initializer_list<std::string_view> known) const {
  check_keys(std::vector<std::string_view>(known));
}

void ConfigNode::check_keys(const std::vector<std::string_view>& known) const {
  for (const auto& [name, node] : entries()) {
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      continue;
    }
    const std::optional<std::string> meant = closest_key(name, known);
    node.fail(meant ? fmt::format("unknown key (did you mean '{}'?)", *meant)
                    : fmt::format("unknown key (expected one of: {})", fmt::join(known, ", ")));
  }
}

}  // namespace edgegw::config
