#pragma once
// The one exception of the configuration path: it says which file, line and key are
// wrong, and how, in a sentence a user can act on.

#include <stdexcept>
#include <string>

namespace edgegw::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace edgegw::config
