#pragma once
// The operations surface over HTTP (loopback by default): /metrics in Prometheus text
// format, /healthz (the process is alive), /readyz (connected to the MQTT broker and a
// Kafka broker), and / with a short plain-text status. Runs its own thread.

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace edgegw::http {

struct OpsHandlers {
  std::function<std::string()> metrics;  // Prometheus exposition text
  std::function<bool()> ready;
  std::function<std::string()> status;  // a human-readable summary
};

class OpsServer {
 public:
  OpsServer(std::string listen, OpsHandlers handlers);
  ~OpsServer();
  OpsServer(const OpsServer&) = delete;
  OpsServer& operator=(const OpsServer&) = delete;

  // Binds (port 0 picks a free port) and serves in the background; throws
  // std::runtime_error naming the address when it cannot bind.
  void start();
  void stop();
  [[nodiscard]] int port() const { return port_; }

 private:
  std::string listen_;
  OpsHandlers handlers_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace edgegw::http
