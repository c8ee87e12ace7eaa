#include "config/env_expansion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "config/config_error.hpp"

namespace edgegw::config {
namespace {

int line_at(const std::string& text, std::size_t pos) {
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

}  // namespace

std::string expand_environment(const std::string& text, const std::string& file) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t dollar = text.find('$', pos);
    if (dollar == std::string::npos || dollar + 1 >= text.size()) {
      out.append(text, pos, std::string::npos);
      break;
    }
    out.append(text, pos, dollar - pos);
    if (text[dollar + 1] == '$') {
      out += '$';
      pos = dollar + 2;
      continue;
    }
    if (text[dollar + 1] != '{') {
      out += '$';
      pos = dollar + 1;
      continue;
    }
    const std::size_t close = text.find('}', dollar);
    const std::size_t newline = text.find('\n', dollar);
    if (close == std::string::npos || close > newline) {
      throw ConfigError(
          fmt::format("{}:{}: '${{' without a closing '}}'", file, line_at(text, dollar)));
    }
    const std::string inside = text.substr(dollar + 2, close - dollar - 2);
    const std::size_t dash = inside.find(":-");
    const std::string name = inside.substr(0, dash);
    const char* value = std::getenv(name.c_str());
    std::string replacement;
    if (value != nullptr && *value != '\0') {
      replacement = value;
    } else if (dash != std::string::npos) {
      replacement = inside.substr(dash + 2);
    } else {
      throw ConfigError(
          fmt::format("{}:{}: environment variable '{}' is not set (write "
                      "${{{}:-default}} to give a default)",
                      file, line_at(text, dollar), name, name));
    }
    if (replacement.find('\n') != std::string::npos) {
      throw ConfigError(fmt::format("{}:{}: environment variable '{}' contains a newline", file,
                                    line_at(text, dollar), name));
    }
    out += replacement;
    pos = close + 1;
  }
  return out;
}

}  // namespace edgegw::config
