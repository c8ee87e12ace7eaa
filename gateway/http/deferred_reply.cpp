#include "http/deferred_reply.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <string>
#include <string_view>

namespace edgegw::http {
namespace {

using Clock = std::chrono::steady_clock;

// Whether every byte left before the deadline (the socket is non-blocking).
bool send_all(int fd, std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) || left.count() <= 0) {
      return false;
    }
    pollfd writable{fd, POLLOUT, 0};
    ::poll(&writable, 1, static_cast<int>(left.count()));
  }
  return true;
}

// Closing a socket with unread bytes makes the kernel reset the connection, which can
// discard the answer before the client reads it: end our side, then read what the
// client may still have sent (a request pipelined after this one), up to a bound.
void drain_before_close(int fd) {
  ::shutdown(fd, SHUT_WR);
  std::array<char, 4096> scratch{};
  for (int i = 0; i < 16; ++i) {
    if (::recv(fd, scratch.data(), scratch.size(), MSG_DONTWAIT) <= 0) {
      return;
    }
  }
}

Response shutting_down() {
  return {503, "Service Unavailable", "text/plain", "not reloaded: the gateway is shutting down\n",
          ""};
}

}  // namespace

DeferredReply::~DeferredReply() {
  send(shutting_down());
}

DeferredReply& DeferredReply::operator=(DeferredReply&& other) noexcept {
  if (this != &other) {
    send(shutting_down());
    connection_ = std::move(other.connection_);
  }
  return *this;
}

void DeferredReply::send(const Response& response) {
  if (!connection_.valid()) {
    return;
  }
  const std::string bytes = serialize(response, false, false);
  if (send_all(connection_.get(), bytes, Clock::now() + kSendTimeout)) {
    drain_before_close(connection_.get());
  }
  connection_.reset();
}

}  // namespace edgegw::http
