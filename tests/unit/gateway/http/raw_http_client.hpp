#pragma once
// A blocking HTTP/1.1 client over a plain loopback socket, for tests that need what a
// library client hides: a connection left idle, a head sent a line at a time, a body the
// server must not read.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace edgegw::test {

struct RawResponse {
  int status = 0;  // 0: no (whole) response before a close or the timeout
  std::string head;
  std::string body;
};

class RawHttpClient {
 public:
  explicit RawHttpClient(int port,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(2000))
      : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawHttpClient() { ::close(fd_); }
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }

  // Whether all of `bytes` went out (false once the server has closed).
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // One response: its head, then Content-Length bytes of body (none for HEAD).
  RawResponse read_response(bool head_request = false) {
    RawResponse response;
    std::size_t end = std::string::npos;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) {
        return response;
      }
    }
    response.head = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    const std::size_t length_at = response.head.find("Content-Length: ");
    const std::size_t length = head_request || length_at == std::string::npos
                                   ? 0
                                   : std::stoul(response.head.substr(length_at + 16));
    while (buffer_.size() < length) {
      if (!fill()) {
        return response;
      }
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    response.status = std::stoi(response.head.substr(9, 3));
    return response;
  }

  RawResponse get(std::string_view path, std::string_view extra_headers = "") {
    if (!send("GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n" +
              std::string(extra_headers) + "\r\n")) {
      return {};
    }
    return read_response();
  }

  // Whether the server closed the connection (end of stream or reset) within the
  // receive timeout, reading and dropping anything before it.
  bool closed_by_server() {
    while (fill()) {
    }
    return eof_;
  }

 private:
  bool fill() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      eof_ = n == 0 || errno == ECONNRESET;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

}  // namespace edgegw::test
