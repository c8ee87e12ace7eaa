#pragma once
// The operations surface over HTTP (loopback by default): /metrics in Prometheus text
// format, /healthz (the process is alive), /readyz (connected to the MQTT broker and a
// Kafka broker), / with a short plain-text status, and POST /-/reload, which re-reads
// the config as SIGHUP does. A reload can change anything, http.token included, so it
// is offered only to a client that presents the configured token: without one
// configured it is refused with 403 (SIGHUP still works), with a wrong one 401.
//
// One thread runs a poll() loop over non-blocking sockets, so that no client, however
// slow, holds up another: /healthz answers while others trickle their headers. What a
// client can make it hold is bounded: http.max_connections connections (when full, the
// one that has waited longest without a complete request is closed), a request head of
// 8 KiB, no body at all (refused before it is read), one response per connection in
// flight, and http.request_timeout for a request to arrive and its answer to leave. A
// reload request leaves the loop with its connection (deferred_reply.hpp): the reload
// stops this server, and the answer says what became of it.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "edgegw/config.hpp"
#include "http/deferred_reply.hpp"
#include "http/http_probe.hpp"

namespace edgegw::http {

struct OpsHandlers {
  std::function<std::string()> metrics;  // Prometheus exposition text
  std::function<bool()> ready;
  std::function<std::string()> status;  // a human-readable summary
  ReloadHandler reload;                 // POST /-/reload; none: the path is not served
};

inline constexpr std::string_view kReloadPath = "/-/reload";

class OpsServer {
 public:
  OpsServer(HttpConfig config, OpsHandlers handlers);
  ~OpsServer();
  OpsServer(const OpsServer&) = delete;
  OpsServer& operator=(const OpsServer&) = delete;

  // Binds (port 0 picks a free port) and serves in the background; throws
  // std::runtime_error naming the address when it cannot bind.
  void start();
  void stop();
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const HttpProbe& probe() const { return probe_; }

 private:
  class Loop;

  HttpConfig config_;
  OpsHandlers handlers_;
  HttpProbe probe_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace edgegw::http
