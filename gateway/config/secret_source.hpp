#pragma once
// A secret (a password, a key's passphrase, a SASL secret) in one of three forms, each
// the same key with a suffix: `<name>` in the file itself, `<name>_env` naming an
// environment variable, or `<name>_file` naming a file whose first line it is (a
// container or systemd credential). The one reader of all three, so that every secret
// of the config is given the same ways and never logged.

#include <optional>
#include <string>
#include <string_view>

#include "config/config_node.hpp"

namespace edgegw::config {

// The secret `name` of the map `section`, or nothing when none of the three keys is
// there. Fails naming the key when more than one is given, the variable is unset or the
// file cannot be read.
std::optional<std::string> read_secret(const ConfigNode& section, std::string_view name);

// The key of `section` that gave the secret `name` (`name`, `name_env` or `name_file`),
// for messages; empty when none did.
std::string secret_key(const ConfigNode& section, std::string_view name);

// Whether `key` is one of the indirect forms, and the secret's name without its suffix.
std::optional<std::string> indirect_secret_name(std::string_view key);

}  // namespace edgegw::config
