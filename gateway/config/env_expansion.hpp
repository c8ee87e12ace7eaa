#pragma once
// ${NAME} and ${NAME:-default} in a config file are replaced by environment variables
// before parsing, so that one file serves several deployments (and secrets stay out of
// it). `$$` is a literal `$`. Line numbers are kept: values must not contain newlines.

#include <string>

namespace edgegw::config {

// Throws ConfigError naming file and line for an unset variable without a default, an
// unclosed ${, or a value with a newline.
std::string expand_environment(const std::string& text, const std::string& file);

}  // namespace edgegw::config
