#pragma once
// A real mosquitto broker for one test: a free loopback port, its own config in a
// temporary directory (unlimited queues, anonymous; persistence optional), started as a
// child process, ready when the port accepts connections, stopped and reaped at the end.

#include <chrono>
#include <memory>
#include <string>

#include "support/child_process.hpp"

namespace edgegw::test {

struct MosquittoOptions {
  // Keep sessions and queued messages across a broker restart (in the fixture's dir).
  bool persistence = false;
  std::chrono::milliseconds startup = std::chrono::seconds(10);
};

class MosquittoFixture {
 public:
  // Throws std::runtime_error when mosquitto does not come up within options.startup.
  explicit MosquittoFixture(MosquittoOptions options = {});
  ~MosquittoFixture();
  MosquittoFixture(const MosquittoFixture&) = delete;
  MosquittoFixture& operator=(const MosquittoFixture&) = delete;

  // Stops the broker (SIGTERM, then SIGKILL) and starts it again on the same port, to
  // simulate a broker outage. Throws like the constructor.
  void stop();
  void start();

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  MosquittoOptions options_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// Binds port 0 on 127.0.0.1 and returns the port the kernel chose (then closes it).
int free_loopback_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts(int port);

}  // namespace edgegw::test
