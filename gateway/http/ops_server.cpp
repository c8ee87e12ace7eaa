#include "http/ops_server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "http/bearer_token.hpp"
#include "http/listen_address.hpp"
#include "http/listen_socket.hpp"
#include "http/request_head.hpp"
#include "http/response.hpp"
#include "http/unique_fd.hpp"

namespace edgegw::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr HeadLimits kLimits{};
// The longest poll() sleeps without a deadline due, so that a stop is never missed.
constexpr auto kMaxWait = std::chrono::milliseconds(1000);
// Accepting stops for this long when the process is out of descriptors (EMFILE), instead
// of spinning on a listening socket that stays readable.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

// The address as a user writes it: an IPv6 host in brackets.
std::string printable_address(const std::string& host, int port) {
  return host.find(':') == std::string::npos ? fmt::format("{}:{}", host, port)
                                             : fmt::format("[{}]:{}", host, port);
}

struct Connection {
  UniqueFd fd;
  std::string received;  // the request head so far: at most max_head_bytes + 1 bytes
  std::string pending;   // the answer being sent; nothing more is read meanwhile
  std::size_t sent = 0;
  bool close_when_sent = false;
  // Since it was accepted or last answered: the one waiting longest is evicted first.
  Clock::time_point waiting_since;
  // For the request to arrive (request_timeout from its first byte, keep_alive_timeout
  // while idle) or for the answer to leave (request_timeout).
  Clock::time_point deadline;
};

}  // namespace

class OpsServer::Loop {
 public:
  Loop(const HttpConfig& config, const OpsHandlers& handlers, HttpProbe& probe, UniqueFd listener)
      : config_(config),
        handlers_(handlers),
        probe_(probe),
        listener_(std::move(listener)),
        wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!wake_.valid()) {
      throw std::runtime_error("http: cannot create an eventfd");
    }
  }

  void run() {
    std::vector<pollfd> fds;
    while (!stopping_.load()) {
      fds.clear();
      fds.push_back({wake_.get(), POLLIN, 0});
      const bool accepting = Clock::now() >= accept_paused_until_;
      fds.push_back({listener_.get(), static_cast<short>(accepting ? POLLIN : 0), 0});
      for (const auto& c : connections_) {
        fds.push_back({c->fd.get(), static_cast<short>(c->pending.empty() ? POLLIN : POLLOUT), 0});
      }
      if (::poll(fds.data(), fds.size(), wait_ms()) < 0 && errno != EINTR) {
        spdlog::error("Operations endpoint: poll failed, serving stops. errno={}", errno);
        return;
      }
      const Clock::time_point now = Clock::now();
      for (std::size_t i = 0; i < connections_.size(); ++i) {
        if (fds[i + 2].revents != 0) {
          on_event(*connections_[i], now);
        }
      }
      expire(now);
      remove_closed();
      if ((fds[1].revents & POLLIN) != 0) {
        accept_new(now);
      }
      probe_.connections = connections_.size();
    }
  }

  void request_stop() {
    stopping_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_.get(), &one, sizeof(one));
  }

 private:
  int wait_ms() const {
    Clock::time_point until = Clock::now() + kMaxWait;
    for (const auto& c : connections_) {
      until = std::min(until, c->deadline);
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, wait.count()));
  }

  void on_event(Connection& c, Clock::time_point now) {
    if (!c.fd.valid()) {
      return;  // closed earlier in this round
    }
    if (!c.pending.empty()) {
      send_pending(c, now);
    } else {
      receive(c, now);
    }
  }

  // At most a quarter of the cap per round: a /healthz probe accepted in a burst of idle
  // connections is then among the newest, and the cap evicts older ones before it.
  void accept_new(Clock::time_point now) {
    const int batch = std::max(1, config_.max_connections / 4);
    for (int i = 0; i < batch; ++i) {
      UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (!fd.valid()) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          accept_paused_until_ = now + kAcceptPause;
        }
        return;
      }
      if (static_cast<int>(connections_.size()) >= config_.max_connections && !evict_one()) {
        ++probe_.refused.at(static_cast<std::size_t>(Refusal::connection_limit));
        continue;  // every one is being answered: the newcomer is closed instead
      }
      auto c = std::make_unique<Connection>();
      c->fd = std::move(fd);
      c->waiting_since = now;
      c->deadline = now + config_.request_timeout;
      connections_.push_back(std::move(c));
      receive(*connections_.back(), now);  // the request is often there already
    }
  }

  // Closes the connection that has waited longest without a complete request.
  bool evict_one() {
    Connection* oldest = nullptr;
    for (const auto& c : connections_) {
      if (c->pending.empty() && (oldest == nullptr || c->waiting_since < oldest->waiting_since)) {
        oldest = c.get();
      }
    }
    if (oldest == nullptr) {
      return false;
    }
    ++probe_.refused.at(static_cast<std::size_t>(Refusal::connection_limit));
    oldest->fd.reset();
    remove_closed();
    return true;
  }

  void receive(Connection& c, Clock::time_point now) {
    std::array<char, kLimits.max_head_bytes + 1> buffer{};
    const std::size_t room = buffer.size() - c.received.size();
    const ssize_t n = ::recv(c.fd.get(), buffer.data(), room, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return;
    }
    if (n <= 0) {
      c.fd.reset();  // closed by the client, or failed
      return;
    }
    if (c.received.empty()) {
      c.deadline = now + config_.request_timeout;  // the whole head from its first byte
    }
    c.received.append(buffer.data(), static_cast<std::size_t>(n));
    serve_received(c, now);
  }

  void serve_received(Connection& c, Clock::time_point now) {
    ParsedHead parsed = parse_request_head(c.received, kLimits);
    if (parsed.state == ParsedHead::State::incomplete) {
      return;
    }
    if (parsed.state == ParsedHead::State::refused) {
      refuse(c, parsed.refusal, false, now);
      return;
    }
    c.received.erase(0, parsed.head_bytes);  // a pipelined request may follow
    const RequestHead& head = parsed.head;
    const bool head_only = head.method == Method::head;
    if (!authorized(head)) {
      refuse(c, Refusal::unauthorized, head_only, now);
      return;
    }
    if (head.path == kReloadPath && handlers_.reload) {
      serve_reload(c, head, now);
      return;
    }
    if (head.method == Method::post) {
      refuse(c, Refusal::method_not_allowed, false, now);
      return;
    }
    ++probe_.requests;
    queue(c, serialize(answer(head.path), head.keep_alive, head_only), !head.keep_alive, now);
  }

  // Hands the connection over: the reload replaces this server, so the answer cannot
  // come from this loop. authorized() has checked the token when one is configured.
  void serve_reload(Connection& c, const RequestHead& head, Clock::time_point now) {
    if (head.method != Method::post) {
      refuse(c, Refusal::method_not_allowed, head.method == Method::head, now, "POST");
      return;
    }
    if (config_.token.empty()) {
      refuse(c, Refusal::forbidden, false, now);
      return;
    }
    ++probe_.requests;
    try {
      handlers_.reload(DeferredReply(std::move(c.fd)));  // c is removed with the closed ones
    } catch (const std::exception& e) {
      // The reply, destroyed unanswered, has told the client 503.
      spdlog::error("Operations endpoint: a reload request could not be passed on. error={}",
                    e.what());
    }
  }

  bool authorized(const RequestHead& head) const {
    // /healthz stays open: a liveness probe should not need the secret.
    return config_.token.empty() || head.path == "/healthz" ||
           carries_bearer_token(head.authorization, config_.token);
  }

  Response answer(const std::string& path) const {
    try {
      if (path == "/healthz") {
        return {200, "OK", "text/plain", "ok\n", ""};
      }
      if (path == "/metrics") {
        return {200, "OK", "text/plain; version=0.0.4", handlers_.metrics(), ""};
      }
      if (path == "/readyz") {
        return handlers_.ready()
                   ? Response{200, "OK", "text/plain", "ready\n", ""}
                   : Response{503, "Service Unavailable", "text/plain", "not ready\n", ""};
      }
      if (path == "/") {
        return {200, "OK", "text/plain", handlers_.status(), ""};
      }
    } catch (const std::exception& e) {
      spdlog::error("Operations endpoint: a handler failed. path={} error={}", path, e.what());
      return {500, "Internal Server Error", "text/plain", "500 Internal Server Error\n", ""};
    }
    return {404, "Not Found", "text/plain", "404 Not Found\n", ""};
  }

  // Counts the refusal; answers it when it has an answer, then closes: the rest of what
  // the client sent (a body, more headers) is never read.
  void refuse(Connection& c, Refusal refusal, bool head_only, Clock::time_point now,
              std::string_view allowed_methods = "GET, HEAD") {
    ++probe_.refused.at(static_cast<std::size_t>(refusal));
    c.received.clear();
    if (refusal_info(refusal).status == 0) {
      c.fd.reset();
      return;
    }
    queue(c, serialize(refusal_response(refusal, allowed_methods), false, head_only), true, now);
  }

  // Sent when poll() says the socket can take it (usually the next round, at once).
  void queue(Connection& c, std::string bytes, bool close_when_sent, Clock::time_point now) {
    c.pending = std::move(bytes);
    c.sent = 0;
    c.close_when_sent = close_when_sent;
    c.deadline = now + config_.request_timeout;
  }

  void send_pending(Connection& c, Clock::time_point now) {
    while (c.sent < c.pending.size()) {
      const ssize_t n =
          ::send(c.fd.get(), c.pending.data() + c.sent, c.pending.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        c.fd.reset();
        return;
      }
      c.sent += static_cast<std::size_t>(n);
    }
    c.pending.clear();
    c.pending.shrink_to_fit();  // an idle connection keeps no answer's memory
    if (c.close_when_sent) {
      c.fd.reset();
      return;
    }
    c.waiting_since = now;
    c.deadline = now + config_.keep_alive_timeout;
    if (!c.received.empty()) {  // pipelined
      c.deadline = now + config_.request_timeout;
      serve_received(c, now);
    }
  }

  void expire(Clock::time_point now) {
    for (const auto& c : connections_) {
      if (c->fd.valid() && c->deadline <= now) {
        if (c->pending.empty() && !c->received.empty()) {
          ++probe_.refused.at(static_cast<std::size_t>(Refusal::timeout));  // slowloris
        }
        c->fd.reset();  // idle past keep-alive, or not reading its answer
      }
    }
  }

  void remove_closed() {
    std::erase_if(connections_, [](const auto& c) { return !c->fd.valid(); });
  }

  const HttpConfig& config_;
  const OpsHandlers& handlers_;
  HttpProbe& probe_;
  UniqueFd listener_;
  UniqueFd wake_;
  std::vector<std::unique_ptr<Connection>> connections_;
  Clock::time_point accept_paused_until_{};
  std::atomic<bool> stopping_{false};
};

OpsServer::OpsServer(HttpConfig config, OpsHandlers handlers)
    : config_(std::move(config)), handlers_(std::move(handlers)) {}

OpsServer::~OpsServer() {
  stop();
}

void OpsServer::start() {
  Result<ListenAddress> address = parse_listen_address(config_.listen);
  if (!address) {  // the config loader refuses these; a caller that skipped it learns why
    throw std::runtime_error("http.listen: " + address.error().message);
  }
  Result<ListenSocket> listener = open_listen_socket(address.value());
  if (!listener) {
    throw std::runtime_error(fmt::format("http.listen: cannot listen on {} ({})", config_.listen,
                                         listener.error().message));
  }
  port_ = listener.value().port;
  loop_ = std::make_unique<Loop>(config_, handlers_, probe_, std::move(listener.value().fd));
  thread_ = std::thread([this] { loop_->run(); });
  spdlog::info(
      "Operations endpoint listening. address={} max_connections={} request_timeout_ms={} "
      "auth={}",
      printable_address(address.value().host, port_), config_.max_connections,
      config_.request_timeout.count(), config_.token.empty() ? "none" : "bearer token");
}

void OpsServer::stop() {
  if (thread_.joinable()) {
    loop_->request_stop();
    thread_.join();
  }
  loop_.reset();  // closes every connection and the listening socket
  probe_.connections = 0;
}

}  // namespace edgegw::http
