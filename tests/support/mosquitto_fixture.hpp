#pragma once
// A real mosquitto broker for one test: a free loopback port, its own config in a
// temporary directory (unlimited queues, anonymous; persistence optional), started as a
// child process, ready when the port accepts connections, stopped and reaped at the end.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace edgegw::test {

// A second listener that speaks TLS and asks for a password, beside the plain one that
// the devices (the tests' publishers) keep using.
struct MosquittoTls {
  std::filesystem::path ca_file;    // verifies client certificates
  std::filesystem::path cert_file;  // the broker's certificate and key
  std::filesystem::path key_file;
  std::string username;  // the one account of this listener
  std::string password;
  std::string acl;  // the listener's ACL file (mosquitto's format); empty: none
};

struct MosquittoOptions {
  // Keep sessions and queued messages across a broker restart (in the fixture's dir).
  bool persistence = false;
  std::optional<MosquittoTls> tls;
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
  // The TLS listener, when options.tls asked for one.
  [[nodiscard]] std::string tls_uri() const {
    return "ssl://127.0.0.1:" + std::to_string(tls_port_);
  }
  [[nodiscard]] const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  MosquittoOptions options_;
  void write_password_file() const;
  void write_tls_listener(std::ostream& conf) const;
  [[nodiscard]] std::filesystem::path password_file() const { return dir_.path() / "passwords"; }
  [[nodiscard]] std::filesystem::path acl_file() const { return dir_.path() / "acl"; }

  int port_ = 0;
  int tls_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// Binds port 0 on 127.0.0.1 and returns the port the kernel chose (then closes it).
int free_loopback_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts(int port);

}  // namespace edgegw::test
