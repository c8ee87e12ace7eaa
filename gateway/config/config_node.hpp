#pragma once
// A YAML node that knows where it came from (file, line, dotted key), so that every
// validation error names them. Sections of the config read their values through it.
//
//   ConfigNode mqtt = root.child("mqtt");
//   int qos = mqtt.get<int>("qos", 1);          // "gw.yaml:7: mqtt.qos: expected an integer"
//   mqtt.check_keys({"broker", "qos", ...});    // "gw.yaml:9: mqtt.qso: unknown key (did
//                                               //  you mean 'qos'?)"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgegw/config_error.hpp"

namespace edgegw::config {

class ConfigNode {
 public:
  ConfigNode(const YAML::Node& node, std::shared_ptr<const std::string> file, std::string key,
             int line);

  // Loads a YAML file (or text, `name` standing for its file in messages), then expands
  // ${ENV} references in each value (env_expansion.hpp). A syntax error or an unset
  // variable becomes a ConfigError with file and line.
  static ConfigNode load_file(const std::string& path);
  static ConfigNode load_string(const std::string& text, const std::string& name);

  [[nodiscard]] bool defined() const { return node_.IsDefined() && !node_.IsNull(); }
  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] bool is_list() const { return node_.IsSequence(); }
  [[nodiscard]] bool is_map() const { return node_.IsMap(); }
  [[nodiscard]] ConfigNode child(std::string_view key) const;
  [[nodiscard]] ConfigNode required(std::string_view key) const;

  template <typename T>
  [[nodiscard]] T as() const;
  template <typename T>
  [[nodiscard]] T get(std::string_view key, T fallback) const {
    ConfigNode c = child(key);
    return c.defined() ? c.as<T>() : fallback;
  }

  // "200ms", "5s", "2m", "1h", or a bare number of milliseconds.
  [[nodiscard]] std::chrono::milliseconds as_duration() const;
  // A duration, or `none` for "no such limit", which is 0.
  [[nodiscard]] std::chrono::milliseconds as_duration_or_none() const;
  // "512", "64KiB", "16MiB", "1GiB" (also KB/MB/GB as powers of ten).
  [[nodiscard]] std::uint64_t as_bytes() const;
  // One of `choices`, else an error listing them.
  [[nodiscard]] std::string as_choice(std::initializer_list<std::string_view> choices) const;
  [[nodiscard]] std::string as_choice(const std::vector<std::string_view>& choices) const;

  [[nodiscard]] std::vector<ConfigNode> items() const;  // a sequence's elements
  [[nodiscard]] std::vector<std::pair<std::string, ConfigNode>> entries() const;  // a map's

  // Rejects keys not in `known`, so that a typo is named instead of silently ignored, with
  // the known key it most likely stands for, or else the list of them.
  void check_keys(std::initializer_list<std::string_view> known) const;
  void check_keys(const std::vector<std::string_view>& known) const;
  [[noreturn]] void fail(std::string_view what) const;
  // `what` placed as fail() places it (file:line: key: what), for a warning.
  [[nodiscard]] std::string located(std::string_view what) const;

  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] const std::string& file() const { return *file_; }
  [[nodiscard]] int line() const { return line_; }

 private:
  [[nodiscard]] std::string scalar_text() const;
  // Every value below this node, expanded in place; an error names its key and line.
  void expand_environment_in_values() const;

  YAML::Node node_;
  std::shared_ptr<const std::string> file_;
  std::string key_;
  int line_;
};

template <>
std::string ConfigNode::as<std::string>() const;
template <>
bool ConfigNode::as<bool>() const;
template <>
double ConfigNode::as<double>() const;
template <>
std::int64_t ConfigNode::as<std::int64_t>() const;
template <>
int ConfigNode::as<int>() const;
template <>
std::vector<std::string> ConfigNode::as<std::vector<std::string>>() const;

}  // namespace edgegw::config
