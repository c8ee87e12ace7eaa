#include "http/listen_address.hpp"

#include <fmt/format.h>

#include <charconv>

namespace edgegw::http {
namespace {

constexpr int kMaxPort = 65535;

Error bad(std::string message) {
  return make_error(std::make_error_code(std::errc::invalid_argument), std::move(message));
}

// A whole decimal number in 0..65535, nothing else (no sign, no spaces, no suffix).
Result<int> parse_port(std::string_view text) {
  int port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || port < 0 ||
      port > kMaxPort) {
    return bad(fmt::format("port '{}' is not a number from 0 to {} (0 picks a free port)", text,
                           kMaxPort));
  }
  return port;
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return bad(fmt::format("'{}' is not host:port, e.g. 127.0.0.1:8787 or [::1]:8787", text));
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find_first_of(":[]") != std::string_view::npos) {
    return bad(fmt::format("'{}': write an IPv6 address in brackets, e.g. [::1]:8787", text));
  }
  if (host.empty()) {
    return bad(fmt::format("'{}' has no host (0.0.0.0 or [::] listens on every interface)", text));
  }
  Result<int> port = parse_port(text.substr(colon + 1));
  if (!port) {
    return port.error();
  }
  return ListenAddress{std::string(host), port.value()};
}

}  // namespace edgegw::http
