#pragma once
// The dashboard's HTTP server: plain GET/HEAD answers from a handler (the page, its
// scripts, /api/state), one per connection, and long-lived server-sent event streams on
// /events that every publish() reaches.
//
// One thread runs a poll() loop over non-blocking sockets, as the ops endpoint does
// (gateway/http/ops_server.hpp), with the same request parser and the same head limits.
// What clients can make it hold is bounded: http.max_clients streams (one more is
// answered 503), twice that plus a few plain connections, a request head within
// http.request_timeout, and per stream http.max_client_backlog bytes not yet taken: a
// client that cannot keep up is disconnected and counted, never buffered without limit.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "edgegw/dashboard_config.hpp"
#include "http/response.hpp"

namespace edgegw::dashboard {

// The answer to a plain request: `path` without and `query` after the `?`.
using PlainHandler = std::function<http::Response(std::string_view path, std::string_view query)>;

struct ServerCounters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> streams_opened{0};
  std::atomic<std::uint64_t> streams_open{0};
  std::atomic<std::uint64_t> streams_refused{0};  // beyond max_clients
  std::atomic<std::uint64_t> slow_clients_dropped{0};
};

class DashboardServer {
 public:
  DashboardServer(DashboardHttpConfig config, PlainHandler handler);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  // Binds (port 0 picks a free one) and serves in the background; throws
  // std::runtime_error naming the address when it cannot bind.
  void start();
  void stop();
  [[nodiscard]] int port() const { return port_; }

  // Sends an event to every open stream. Thread-safe; the server's thread writes it.
  void publish(std::string_view event, std::string_view data);

  [[nodiscard]] const ServerCounters& counters() const { return counters_; }

 private:
  class Loop;

  DashboardHttpConfig config_;
  PlainHandler handler_;
  ServerCounters counters_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
  int port_ = 0;
};

// The query string of the request line in `received` (empty without one).
std::string_view request_query(std::string_view received);

}  // namespace edgegw::dashboard
