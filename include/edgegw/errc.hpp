#pragma once
// Typed error codes. A module whose callers act on the cause of a failure declares an
// `enum class ...Errc` (values from 1: 0 means success to std::error_code) and a
// category built from NamedErrorCategory; Error::code (result.hpp) then compares with the
// enum (`error.code == StoreErrc::log_full`) and prints as the enum's name. A failure no
// caller tells apart (an invalid listen address, a bad key template) uses
// std::errc::invalid_argument and says everything in its message.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

namespace edgegw {

template <std::size_t N>
class NamedErrorCategory final : public std::error_category {
 public:
  // names[i] is the name of the value i + 1.
  constexpr NamedErrorCategory(const char* name, std::array<std::string_view, N> names)
      : name_(name), names_(names) {}

  [[nodiscard]] const char* name() const noexcept override { return name_; }
  [[nodiscard]] std::string message(int value) const override {
    if (value < 1 || static_cast<std::size_t>(value) > N) {
      return "unknown";
    }
    return std::string(names_.at(static_cast<std::size_t>(value) - 1));
  }

 private:
  const char* name_;
  std::array<std::string_view, N> names_;
};

}  // namespace edgegw
