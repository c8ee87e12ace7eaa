#include "config/secret_source.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

namespace edgegw::config {
namespace {

constexpr std::string_view kEnvSuffix = "_env";
constexpr std::string_view kFileSuffix = "_file";

std::string from_environment(const ConfigNode& key) {
  const std::string name = key.as<std::string>();
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    key.fail(fmt::format("environment variable '{}' is not set", name));
  }
  return value;
}

std::string from_file(const ConfigNode& key) {
  const std::string path = key.as<std::string>();
  std::ifstream in(path);
  if (!in) {
    key.fail(fmt::format("cannot read '{}'", path));
  }
  std::string secret;
  std::getline(in, secret);  // one line; a trailing newline is not part of it
  return secret;
}

}  // namespace

std::optional<std::string> read_secret(const ConfigNode& section, std::string_view name) {
  const std::string direct(name);
  const std::string env = direct + std::string(kEnvSuffix);
  const std::string file = direct + std::string(kFileSuffix);
  const int given = static_cast<int>(section.has(direct)) + static_cast<int>(section.has(env)) +
                    static_cast<int>(section.has(file));
  if (given > 1) {
    section.fail(fmt::format("give only one of {}, {} and {}", direct, env, file));
  }
  if (section.has(direct)) {
    return section.child(direct).as<std::string>();
  }
  if (section.has(env)) {
    return from_environment(section.child(env));
  }
  if (section.has(file)) {
    return from_file(section.child(file));
  }
  return std::nullopt;
}

std::string secret_key(const ConfigNode& section, std::string_view name) {
  for (const std::string_view suffix : {std::string_view(), kEnvSuffix, kFileSuffix}) {
    std::string key = std::string(name) + std::string(suffix);
    if (section.has(key)) {
      return key;
    }
  }
  return "";
}

std::optional<std::string> indirect_secret_name(std::string_view key) {
  for (const std::string_view suffix : {kEnvSuffix, kFileSuffix}) {
    if (key.size() > suffix.size() && key.ends_with(suffix)) {
      return std::string(key.substr(0, key.size() - suffix.size()));
    }
  }
  return std::nullopt;
}

}  // namespace edgegw::config
