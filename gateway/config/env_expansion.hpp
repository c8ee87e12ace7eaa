#pragma once
// ${NAME} and ${NAME:-default} in a config value are replaced by environment variables,
// so that one file serves several deployments (and secrets stay out of it). `$$` is a
// literal `$`; any other `$` is kept as it is.
//
// Expansion works on one value that YAML has already parsed, never on the file's text:
// whatever a variable holds (a '#', brackets, quotes, a newline) stays inside that value
// instead of changing how the YAML around it parses.

#include <string>
#include <string_view>

#include "edgegw/result.hpp"

namespace edgegw::config {

// Fails, with a sentence for the user, on an unset (or empty) variable without a default
// or a `${` without its `}`. The caller adds file, line and key.
Result<std::string> expand_environment(std::string_view value);

}  // namespace edgegw::config
