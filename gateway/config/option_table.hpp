#pragma once
// One table per config section: each key once, with its type, bounds, default and a
// one-line doc (Fluent Bit's config_map, per section). The table reads a ConfigNode map
// into the section's struct, refusing unknown keys (with a "did you mean"), missing
// required keys and bad values with file:line:key; and it describes itself for the
// reference tables of docs/configuration.md (`edgegw config-reference`). Defaults are
// the struct's own member initialisers: a table reads over a default-constructed struct
// and shows that struct's values as the defaults, so a default is written only once.
//
//   const OptionTable<HttpConfig> table = {
//       flag<HttpConfig>("enabled", &HttpConfig::enabled, "Serve the operations endpoint."),
//       text<HttpConfig>("listen", &HttpConfig::listen, "Where to listen."),
//   };
//   HttpConfig http;
//   read_options(node, table, http);
//
// A member is named by a pointer to member or by a callable returning a reference to it
// (for a member of a member). A key whose value feeds code rather than one member (a
// nested map, three keys that resolve one password) is declared(): the table knows it
// for the unknown-key check and the docs, and the section's code reads it.

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "config/config_node.hpp"
#include "config/option_bounds.hpp"
#include "config/option_doc.hpp"

namespace edgegw::config {

template <typename S>
struct Option {
  std::string key;
  OptionDoc doc;  // type, bounds and meaning; default_text only when the struct cannot show it
  bool is_required = false;
  std::function<void(S&, const ConfigNode&)> read;  // empty: the section's code reads the key
  std::function<std::string(S&)> show;              // the default, read off a default struct

  // Absent, the key is an error at its section: "'directory' is required".
  Option required() && {
    is_required = true;
    return std::move(*this);
  }
  // A default the struct cannot show, in words: "derived from the mappings".
  Option shown_default(std::string_view text) && {
    doc.default_text = text;
    return std::move(*this);
  }
};

template <typename S>
using OptionTable = std::vector<Option<S>>;

// Whether `value` is `none` (for durations that may be switched off).
enum class NoneValue { refused, allowed };
// Whether a string may be empty.
enum class EmptyValue { allowed, refused };

namespace option_detail {

template <typename S, typename Access>
using Member = std::remove_cvref_t<std::invoke_result_t<Access, S&>>;

template <typename T>
inline constexpr bool kIsDuration = false;
template <typename R, typename P>
inline constexpr bool kIsDuration<std::chrono::duration<R, P>> = true;

template <typename T>
inline constexpr bool kIsOptional = false;
template <typename T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

template <typename S>
Option<S> make(std::string_view key, std::string type, std::string bounds,
               std::string_view meaning) {
  Option<S> option;
  option.key = key;
  option.doc =
      OptionDoc{std::string(key), std::move(type), "", std::move(bounds), std::string(meaning)};
  return option;
}

inline void check_bounds(const ConfigNode& node, double value, const Bounds& bounds,
                         ValueUnit unit) {
  if (const std::optional<std::string> problem = bounds_problem(value, bounds, unit)) {
    node.fail(*problem);
  }
}

// The member's own range is a bound too: a count cannot be negative.
template <typename T>
T narrow(const ConfigNode& node, std::int64_t value) {
  if (!std::in_range<T>(value)) {
    node.fail(value < 0 ? std::string("must not be negative")
                        : fmt::format("{} is out of range", value));
  }
  return static_cast<T>(value);
}

inline std::string code(std::string_view text) {
  return text.empty() ? "none" : fmt::format("`{}`", text);
}

}  // namespace option_detail

// Every key of the table, for the unknown-key check.
template <typename S>
std::vector<std::string_view> option_keys(const OptionTable<S>& table) {
  std::vector<std::string_view> keys;
  keys.reserve(table.size());
  for (const Option<S>& option : table) {
    keys.emplace_back(option.key);
  }
  return keys;
}

// Reads the keys of `node` (a map, or absent) into `out`, which holds the defaults.
template <typename S>
void read_options(const ConfigNode& node, const OptionTable<S>& table, S& out) {
  node.check_keys(option_keys(table));
  for (const Option<S>& option : table) {
    const ConfigNode value = node.child(option.key);
    if (!value.defined()) {
      if (option.is_required) {
        node.fail(fmt::format("'{}' is required", option.key));
      }
      continue;
    }
    if (option.read) {
      option.read(out, value);
    }
  }
}

// The table's rows for the reference, keys under `prefix` ("tls."), defaults read off
// `defaults`.
template <typename S>
std::vector<OptionDoc> describe_options(const OptionTable<S>& table, std::string_view prefix = "",
                                        S defaults = S{}) {
  std::vector<OptionDoc> rows;
  for (const Option<S>& option : table) {
    OptionDoc row = option.doc;
    row.key = std::string(prefix) + option.key;
    if (row.default_text.empty()) {
      row.default_text = option.is_required ? "required"
                         : option.show      ? option.show(defaults)
                                            : "none";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

template <typename S, typename Access>
Option<S> flag(std::string_view key, Access access, std::string_view meaning) {
  Option<S> option = option_detail::make<S>(key, "boolean", "", meaning);
  option.read = [access](S& s, const ConfigNode& n) { std::invoke(access, s) = n.as<bool>(); };
  option.show = [access](S& s) {
    return std::string(std::invoke(access, s) ? "`true`" : "`false`");
  };
  return option;
}

template <typename S, typename Access>
Option<S> integer(std::string_view key, Access access, Bounds bounds, std::string_view meaning) {
  using T = option_detail::Member<S, Access>;
  Option<S> option =
      option_detail::make<S>(key, "integer", bounds_text(bounds, ValueUnit::count), meaning);
  option.read = [access, bounds](S& s, const ConfigNode& n) {
    const std::int64_t value = n.as<std::int64_t>();
    option_detail::check_bounds(n, static_cast<double>(value), bounds, ValueUnit::count);
    std::invoke(access, s) = option_detail::narrow<T>(n, value);
  };
  option.show = [access](S& s) { return fmt::format("`{}`", std::invoke(access, s)); };
  return option;
}

// A double, or an optional one whose absence is "none".
template <typename S, typename Access>
Option<S> number(std::string_view key, Access access, Bounds bounds, std::string_view meaning) {
  using T = option_detail::Member<S, Access>;
  Option<S> option =
      option_detail::make<S>(key, "number", bounds_text(bounds, ValueUnit::number), meaning);
  option.read = [access, bounds](S& s, const ConfigNode& n) {
    const double value = n.as<double>();
    option_detail::check_bounds(n, value, bounds, ValueUnit::number);
    std::invoke(access, s) = value;
  };
  option.show = [access](S& s) {
    const T& value = std::invoke(access, s);
    if constexpr (option_detail::kIsOptional<T>) {
      return value ? fmt::format("`{}`", *value) : std::string("none");
    } else {
      return fmt::format("`{}`", value);
    }
  };
  return option;
}

// "200ms", "5s", "2m", "1h", "7d" into a std::chrono duration or integer milliseconds;
// `bounds` in milliseconds. With NoneValue::allowed, `none` is 0.
template <typename S, typename Access>
Option<S> duration(std::string_view key, Access access, Bounds bounds, std::string_view meaning,
                   NoneValue none = NoneValue::refused) {
  using T = option_detail::Member<S, Access>;
  const bool none_allowed = none == NoneValue::allowed;
  Option<S> option = option_detail::make<S>(key, none_allowed ? "duration or `none`" : "duration",
                                            bounds_text(bounds, ValueUnit::milliseconds), meaning);
  option.read = [access, bounds, none_allowed](S& s, const ConfigNode& n) {
    const std::chrono::milliseconds ms = none_allowed ? n.as_duration_or_none() : n.as_duration();
    option_detail::check_bounds(n, static_cast<double>(ms.count()), bounds,
                                ValueUnit::milliseconds);
    if constexpr (option_detail::kIsDuration<T>) {
      std::invoke(access, s) = std::chrono::duration_cast<T>(ms);
    } else {
      std::invoke(access, s) = static_cast<T>(ms.count());
    }
  };
  option.show = [access, none_allowed](S& s) {
    std::int64_t ms = 0;
    if constexpr (option_detail::kIsDuration<T>) {
      ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::invoke(access, s)).count();
    } else {
      ms = static_cast<std::int64_t>(std::invoke(access, s));
    }
    return ms == 0 && none_allowed ? std::string("`none`")
                                   : fmt::format("`{}`", format_duration(ms));
  };
  return option;
}

// "4096", "64KiB", "16MiB", "1GiB" (also KB, MB, GB); `bounds` in bytes.
template <typename S, typename Access>
Option<S> byte_size(std::string_view key, Access access, Bounds bounds, std::string_view meaning) {
  using T = option_detail::Member<S, Access>;
  Option<S> option =
      option_detail::make<S>(key, "size", bounds_text(bounds, ValueUnit::bytes), meaning);
  option.read = [access, bounds](S& s, const ConfigNode& n) {
    const std::uint64_t bytes = n.as_bytes();
    option_detail::check_bounds(n, static_cast<double>(bytes), bounds, ValueUnit::bytes);
    std::invoke(access, s) = static_cast<T>(bytes);
  };
  option.show = [access](S& s) {
    return fmt::format("`{}`", format_bytes(static_cast<std::uint64_t>(std::invoke(access, s))));
  };
  return option;
}

// A string (or a path).
template <typename S, typename Access>
Option<S> text(std::string_view key, Access access, std::string_view meaning,
               EmptyValue empty = EmptyValue::allowed) {
  using T = option_detail::Member<S, Access>;
  Option<S> option = option_detail::make<S>(key, "string", "", meaning);
  option.read = [access, empty](S& s, const ConfigNode& n) {
    std::string value = n.as<std::string>();
    if (empty == EmptyValue::refused && value.empty()) {
      n.fail("must not be empty");
    }
    std::invoke(access, s) = std::move(value);
  };
  option.show = [access](S& s) {
    if constexpr (std::is_same_v<T, std::filesystem::path>) {
      return option_detail::code(std::invoke(access, s).string());
    } else {
      return option_detail::code(std::invoke(access, s));
    }
  };
  return option;
}

// One of a fixed set of words, each standing for a value of the member (an enum, a
// number, or the word itself).
template <typename S, typename Access>
Option<S> choice(std::string_view key, Access access,
                 std::vector<std::pair<std::string_view, option_detail::Member<S, Access>>> values,
                 std::string_view meaning) {
  std::vector<std::string_view> words;
  std::string allowed;
  for (const auto& [word, value] : values) {
    words.push_back(word);
    allowed += fmt::format("{}`{}`", allowed.empty() ? "" : ", ", word);
  }
  Option<S> option = option_detail::make<S>(key, "one of", allowed, meaning);
  option.read = [access, values, words](S& s, const ConfigNode& n) {
    const std::string word = n.as_choice(words);
    for (const auto& [known, value] : values) {
      if (known == word) {
        std::invoke(access, s) = value;
      }
    }
  };
  option.show = [access, values](S& s) {
    for (const auto& [word, value] : values) {
      if (value == std::invoke(access, s)) {
        return option_detail::code(word);
      }
    }
    return std::string("none");
  };
  return option;
}

template <typename S, typename Access>
Option<S> list(std::string_view key, Access access, std::string_view meaning) {
  Option<S> option = option_detail::make<S>(key, "list of strings", "", meaning);
  option.read = [access](S& s, const ConfigNode& n) {
    std::invoke(access, s) = n.as<std::vector<std::string>>();
  };
  option.show = [access](S& s) {
    const std::vector<std::string>& value = std::invoke(access, s);
    return value.empty() ? std::string("none") : fmt::format("`[{}]`", fmt::join(value, ", "));
  };
  return option;
}

// A key with a reader of its own (a value that is not one plain member).
template <typename S>
Option<S> custom(std::string_view key, std::string type, std::string_view meaning,
                 std::function<void(S&, const ConfigNode&)> read,
                 std::function<std::string(S&)> show = nullptr) {
  Option<S> option = option_detail::make<S>(key, std::move(type), "", meaning);
  option.read = std::move(read);
  option.show = std::move(show);
  return option;
}

// A key the section's code reads (a nested map or list, keys that combine); the table
// knows it for the unknown-key check and the docs.
template <typename S>
Option<S> declared(std::string_view key, std::string type, std::string_view meaning) {
  return option_detail::make<S>(key, std::move(type), "", meaning);
}

// The forms a secret may be given in (read_secret(), config/secret_source.hpp): `<name>`
// itself, `<name>_env` and `<name>_file`. A table lists all three, one row each.
enum class SecretForm { value, env, file };

// `what` names the secret, e.g. "the MQTT password".
template <typename S>
Option<S> secret(std::string_view name, SecretForm form, std::string_view what) {
  const std::string key(name);
  switch (form) {
    case SecretForm::env:
      return declared<S>(key + "_env", "string",
                         fmt::format("The name of an environment variable holding {}.", what));
    case SecretForm::file:
      return declared<S>(key + "_file", "string",
                         fmt::format("A file whose first line is {} (a container or systemd "
                                     "credential); keep it mode 0600.",
                                     what));
    case SecretForm::value:
      break;
  }
  return declared<S>(key, "string",
                     fmt::format("{} itself. At most one of `{}`, `{}_env` and `{}_file`; never "
                                 "logged.",
                                 what, key, key, key));
}

}  // namespace edgegw::config
