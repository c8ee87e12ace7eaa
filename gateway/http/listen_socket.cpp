#include "http/listen_socket.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace edgegw::http {
namespace {

constexpr int kBacklog = 128;

int bound_port(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
    return -1;
  }
  if (local.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
}

Result<UniqueFd> bind_one(const addrinfo& candidate) {
  UniqueFd fd(::socket(candidate.ai_family, candidate.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       candidate.ai_protocol));
  const int yes = 1;
  if (!fd.valid() || ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) != 0 ||
      ::bind(fd.get(), candidate.ai_addr, candidate.ai_addrlen) != 0 ||
      ::listen(fd.get(), kBacklog) != 0) {
    return make_error(std::error_code(errno, std::generic_category()), std::strerror(errno));
  }
  return fd;
}

}  // namespace

Result<ListenSocket> open_listen_socket(const ListenAddress& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int error = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found);
      error != 0) {
    return make_error(std::make_error_code(std::errc::invalid_argument),
                      fmt::format("cannot resolve '{}': {}", address.host, ::gai_strerror(error)));
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, &::freeaddrinfo);
  std::string reason = "no address";
  for (const addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    Result<UniqueFd> fd = bind_one(*candidate);
    if (fd) {
      const int bound = bound_port(fd.value().get());
      return ListenSocket{std::move(fd).value(), bound};
    }
    reason = fd.error().message;
  }
  return make_error(std::make_error_code(std::errc::address_in_use), reason);
}

}  // namespace edgegw::http
