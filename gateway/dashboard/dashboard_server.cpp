#include "dashboard/dashboard_server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <stdexcept>
#include <utility>
#include <vector>

#include "dashboard/event_stream.hpp"
#include "http/listen_address.hpp"
#include "http/listen_socket.hpp"
#include "http/request_head.hpp"
#include "http/unique_fd.hpp"

namespace edgegw::dashboard {
namespace {

using Clock = std::chrono::steady_clock;

constexpr http::HeadLimits kLimits{};
constexpr auto kMaxWait = std::chrono::milliseconds(1000);
// The events one batch may hold, as a share of max_client_backlog.
constexpr double kOutboxShare = 0.25;
// How long publish() waits for the loop to take the events before it drops every stream.
constexpr auto kMaxPublishWait = std::chrono::milliseconds(1000);
// Plain connections (page loads, /api/state) allowed besides the streams.
constexpr int kPlainConnections = 16;

struct Connection {
  explicit Connection(std::size_t max_backlog) : out(max_backlog) {}
  http::UniqueFd fd;
  std::string received;        // the request head so far
  StreamBacklog out;           // the answer, or the stream's events not yet sent
  bool streaming = false;      // an event stream: open until either side closes
  bool answered = false;       // a plain answer is queued: close once it is sent
  Clock::time_point deadline;  // for the head to arrive or the answer to leave
};

http::Response plain(int status, std::string_view text, std::string body) {
  return {status, text, "text/plain", std::move(body), ""};
}

}  // namespace

std::string_view request_query(std::string_view received) {
  const std::string_view line = received.substr(0, received.find('\r'));
  const std::size_t target = line.find(' ');
  if (target == std::string_view::npos) {
    return {};
  }
  const std::string_view rest = line.substr(target + 1);
  const std::string_view uri = rest.substr(0, rest.find(' '));
  const std::size_t question = uri.find('?');
  return question == std::string_view::npos ? std::string_view{} : uri.substr(question + 1);
}

class DashboardServer::Loop {
 public:
  Loop(const DashboardHttpConfig& config, const PlainHandler& handler, ServerCounters& counters,
       http::UniqueFd listener)
      : config_(config),
        handler_(handler),
        counters_(counters),
        listener_(std::move(listener)),
        wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
        next_keepalive_(Clock::now() + config.keepalive_interval) {
    if (!wake_.valid()) {
      throw std::runtime_error("dashboard: cannot create an eventfd");
    }
  }

  void run() {
    std::vector<pollfd> fds;
    while (!stopping_.load()) {
      fds.clear();
      fds.push_back({wake_.get(), POLLIN, 0});
      fds.push_back({listener_.get(), POLLIN, 0});
      for (const auto& c : connections_) {
        fds.push_back(
            {c->fd.get(), static_cast<short>(c->out.empty() ? POLLIN : POLLIN | POLLOUT), 0});
      }
      if (::poll(fds.data(), fds.size(), wait_ms()) < 0 && errno != EINTR) {
        spdlog::error("Dashboard: poll failed, serving stops. errno={}", errno);
        return;
      }
      const Clock::time_point now = Clock::now();
      if ((fds[0].revents & POLLIN) != 0) {
        drain_wake();
        deliver_published();
      }
      for (std::size_t i = 0; i < connections_.size(); ++i) {
        on_event(*connections_[i], fds[i + 2].revents, now);
      }
      send_keepalives(now);
      expire(now);
      remove_closed();
      if ((fds[1].revents & POLLIN) != 0) {
        accept_new(now);
      }
    }
  }

  // Waits while the events not yet handed to the streams fill a quarter of a client's
  // backlog, so that one batch never makes a page that keeps up look slow: the consumer
  // then reads Kafka as fast as the loop takes events (a catch-up at start is a burst).
  // Only a loop that takes none for a second makes every stream lag that far.
  void publish(std::string_view event, std::string_view data) {
    std::string framed = frame_event(event, data);
    {
      std::unique_lock lock(outbox_mutex_);
      const bool room = outbox_drained_.wait_for(lock, kMaxPublishWait, [&] {
        return outbox_.empty() ||
               static_cast<double>(outbox_.size() + framed.size()) <=
                   kOutboxShare * static_cast<double>(config_.max_client_backlog) ||
               stopping_.load();
      });
      if (!room) {
        outbox_overflowed_ = true;
        outbox_.clear();
      }
      outbox_ += framed;
    }
    wake();
  }

  void request_stop() {
    stopping_ = true;
    outbox_drained_.notify_all();
    wake();
  }

 private:
  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_.get(), &one, sizeof(one));
  }

  void drain_wake() {
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t got = ::read(wake_.get(), &count, sizeof(count));
  }

  int wait_ms() const {
    Clock::time_point until = std::min(Clock::now() + kMaxWait, next_keepalive_);
    for (const auto& c : connections_) {
      if (!c->streaming) {
        until = std::min(until, c->deadline);
      }
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, wait.count()));
  }

  // Each stream gets the published events; one that lags too far is dropped.
  void deliver_published() {
    std::string events;
    bool overflowed = false;
    {
      const std::scoped_lock lock(outbox_mutex_);
      events.swap(outbox_);
      overflowed = std::exchange(outbox_overflowed_, false);
    }
    outbox_drained_.notify_all();
    for (const auto& c : connections_) {
      if (overflowed && c->streaming && c->fd.valid()) {
        drop_slow(*c);
      }
    }
    if (events.empty()) {
      return;
    }
    for (const auto& c : connections_) {
      if (c->streaming && c->fd.valid() && !c->out.push(events)) {
        drop_slow(*c);
      }
    }
  }

  void send_keepalives(Clock::time_point now) {
    if (now < next_keepalive_) {
      return;
    }
    next_keepalive_ = now + config_.keepalive_interval;
    for (const auto& c : connections_) {
      if (c->streaming && c->fd.valid() && c->out.empty() && !c->out.push(keepalive_comment())) {
        drop_slow(*c);
      }
    }
  }

  // Counted once closed, so that whoever sees the drop counted also sees the stream gone.
  void drop_slow(Connection& c) {
    spdlog::warn(
        "Dashboard: an event stream client could not keep up and was dropped. "
        "unsent_bytes={} max_client_backlog={}",
        c.out.size(), config_.max_client_backlog);
    close(c);
    ++counters_.slow_clients_dropped;
  }

  void close(Connection& c) {
    if (c.streaming && c.fd.valid()) {
      --counters_.streams_open;
    }
    c.fd.reset();
  }

  void on_event(Connection& c, short revents, Clock::time_point now) {
    if (!c.fd.valid() || revents == 0) {
      return;
    }
    if ((revents & (POLLERR | POLLHUP)) != 0 && (revents & POLLIN) == 0) {
      close(c);
      return;
    }
    if ((revents & POLLIN) != 0) {
      receive(c, now);
    }
    if (c.fd.valid() && (revents & POLLOUT) != 0) {
      send_out(c);
    }
  }

  void accept_new(Clock::time_point now) {
    const int max_connections = 2 * config_.max_clients + kPlainConnections;
    for (int i = 0; i < 16; ++i) {
      http::UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (!fd.valid()) {
        return;
      }
      if (static_cast<int>(connections_.size()) >= max_connections) {
        continue;  // closed: the page retries
      }
      auto c = std::make_unique<Connection>(config_.max_client_backlog);
      c->fd = std::move(fd);
      c->deadline = now + config_.request_timeout;
      connections_.push_back(std::move(c));
    }
  }

  void receive(Connection& c, Clock::time_point now) {
    std::array<char, kLimits.max_head_bytes + 1> buffer{};
    const std::size_t room =
        c.streaming || c.answered ? buffer.size() : buffer.size() - c.received.size();
    const ssize_t n = ::recv(c.fd.get(), buffer.data(), room, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return;
    }
    if (n <= 0) {
      close(c);  // the client went away
      return;
    }
    if (c.streaming || c.answered) {
      return;  // nothing more is read from a connection being answered
    }
    c.received.append(buffer.data(), static_cast<std::size_t>(n));
    serve(c, now);
  }

  void serve(Connection& c, Clock::time_point now) {
    const http::ParsedHead parsed = http::parse_request_head(c.received, kLimits);
    if (parsed.state == http::ParsedHead::State::incomplete) {
      return;
    }
    c.answered = true;
    c.deadline = now + config_.request_timeout;
    if (parsed.state == http::ParsedHead::State::refused) {
      if (http::refusal_info(parsed.refusal).status == 0) {
        close(c);
      } else {
        queue(c, http::serialize(http::refusal_response(parsed.refusal), false, false));
      }
      return;
    }
    ++counters_.requests;
    const http::RequestHead& head = parsed.head;
    const bool head_only = head.method == http::Method::head;
    if (head.path == "/events" && !head_only) {
      open_stream(c);
      return;
    }
    queue(c, http::serialize(answer(head.path, request_query(c.received)), false, head_only));
  }

  void open_stream(Connection& c) {
    if (counters_.streams_open.load() >= static_cast<std::uint64_t>(config_.max_clients)) {
      ++counters_.streams_refused;
      queue(c, http::serialize(plain(503, "Service Unavailable", "too many live pages\n"), false,
                               false));
      return;
    }
    c.streaming = true;
    ++counters_.streams_open;
    ++counters_.streams_opened;
    c.received.clear();
    if (!c.out.push(event_stream_head())) {
      drop_slow(c);
    }
  }

  http::Response answer(std::string_view path, std::string_view query) const {
    try {
      return handler_(path, query);
    } catch (const std::exception& e) {
      spdlog::error("Dashboard: a handler failed. path={} error={}", path, e.what());
      return plain(500, "Internal Server Error", "500 Internal Server Error\n");
    }
  }

  void queue(Connection& c, const std::string& bytes) {
    if (!c.out.push(bytes)) {  // larger than a stream's backlog: still a single answer
      StreamBacklog whole(bytes.size());
      (void)whole.push(bytes);
      c.out = std::move(whole);
    }
  }

  void send_out(Connection& c) {
    while (!c.out.empty()) {
      const std::string_view unsent = c.out.unsent();
      const ssize_t n = ::send(c.fd.get(), unsent.data(), unsent.size(), MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        close(c);
        return;
      }
      c.out.consume(static_cast<std::size_t>(n));
    }
    if (c.answered && !c.streaming) {
      close(c);  // one answer per connection
    }
  }

  void expire(Clock::time_point now) {
    for (const auto& c : connections_) {
      if (c->fd.valid() && !c->streaming && c->deadline <= now) {
        close(*c);  // a head that never completed, or an answer never taken
      }
    }
  }

  void remove_closed() {
    std::erase_if(connections_, [](const auto& c) { return !c->fd.valid(); });
  }

  const DashboardHttpConfig& config_;
  const PlainHandler& handler_;
  ServerCounters& counters_;
  http::UniqueFd listener_;
  http::UniqueFd wake_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::mutex outbox_mutex_;
  std::condition_variable outbox_drained_;
  std::string outbox_;  // framed events published since the loop last ran
  bool outbox_overflowed_ = false;
  Clock::time_point next_keepalive_;
  std::atomic<bool> stopping_{false};
};

DashboardServer::DashboardServer(DashboardHttpConfig config, PlainHandler handler)
    : config_(std::move(config)), handler_(std::move(handler)) {}

DashboardServer::~DashboardServer() {
  stop();
}

void DashboardServer::start() {
  const Result<http::ListenAddress> address = http::parse_listen_address(config_.listen);
  if (!address) {
    throw std::runtime_error("http.listen: " + address.error().message);
  }
  Result<http::ListenSocket> listener = http::open_listen_socket(address.value());
  if (!listener) {
    throw std::runtime_error(fmt::format("http.listen: cannot listen on {} ({})", config_.listen,
                                         listener.error().message));
  }
  port_ = listener.value().port;
  loop_ = std::make_unique<Loop>(config_, handler_, counters_, std::move(listener.value().fd));
  thread_ = std::thread([this] { loop_->run(); });
}

void DashboardServer::stop() {
  if (thread_.joinable()) {
    loop_->request_stop();
    thread_.join();
  }
  loop_.reset();
  counters_.streams_open = 0;
}

void DashboardServer::publish(std::string_view event, std::string_view data) {
  if (loop_) {
    loop_->publish(event, data);
  }
}

}  // namespace edgegw::dashboard
