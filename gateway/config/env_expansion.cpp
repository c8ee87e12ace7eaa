#include "config/env_expansion.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace edgegw::config {
namespace {

// The value of one `${...}` reference: NAME or NAME:-default.
Result<std::string> resolve(std::string_view inside) {
  const std::size_t dash = inside.find(":-");
  const std::string name(inside.substr(0, dash));
  const char* value = std::getenv(name.c_str());
  if (value != nullptr && *value != '\0') {
    return std::string(value);
  }
  if (dash != std::string_view::npos) {
    return std::string(inside.substr(dash + 2));
  }
  return make_error(std::make_error_code(std::errc::invalid_argument),
                    fmt::format("environment variable '{}' is not set (write ${{{}:-default}} "
                                "to give a default)",
                                name, name));
}

}  // namespace

Result<std::string> expand_environment(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  std::size_t pos = 0;
  while (pos < value.size()) {
    const std::size_t dollar = value.find('$', pos);
    if (dollar == std::string_view::npos || dollar + 1 >= value.size()) {
      out.append(value.substr(pos));
      break;
    }
    out.append(value.substr(pos, dollar - pos));
    const char next = value[dollar + 1];
    if (next != '{') {
      out += '$';  // `$$` is one `$`; a `$` before anything else stays as it is
      pos = dollar + (next == '$' ? 2 : 1);
      continue;
    }
    const std::size_t close = value.find('}', dollar);
    if (close == std::string_view::npos) {
      return make_error(std::make_error_code(std::errc::invalid_argument),
                        "'${' without a closing '}'");
    }
    Result<std::string> replacement = resolve(value.substr(dollar + 2, close - dollar - 2));
    if (!replacement) {
      return replacement.error();
    }
    out += replacement.value();
    pos = close + 1;
  }
  return out;
}

}  // namespace edgegw::config
