#pragma once
// A small result type for the data path, where no exception is thrown per message.
// g++ 12 has no std::expected; this keeps the same spirit with the least machinery.

#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace edgegw {

// Why an operation on the data path failed. The code is for programs, which compare it
// with a module's errc enum (errc.hpp); the message is for people and names what was
// wrong.
struct Error {
  std::error_code code;
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Result of an operation that yields nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::error_code code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace edgegw
