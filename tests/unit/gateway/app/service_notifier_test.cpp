// The systemd notifications, received on a real datagram socket standing in for
// systemd's NOTIFY_SOCKET.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "app/service_notifier.hpp"
#include "support/temp_dir.hpp"

namespace edgegw::app {
namespace {

using namespace std::chrono_literals;

// A bound AF_UNIX datagram socket whose name is exported as NOTIFY_SOCKET: a path, or
// "@name" for Linux's abstract namespace, as systemd passes either.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& name) : fd_(::socket(AF_UNIX, SOCK_DGRAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    REQUIRE(name.size() < sizeof(address.sun_path));
    std::memcpy(address.sun_path, name.c_str(), name.size());
    if (name.front() == '@') {
      address.sun_path[0] = '\0';
    }
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0);
    const timeval timeout{.tv_sec = 5, .tv_usec = 0};  // a missing datagram fails, not hangs
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  std::string receive() const {
    std::array<char, 4096> buffer{};
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    return n > 0 ? std::string(buffer.data(), static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_;
};

// WATCHDOG_USEC as systemd sets it for a unit with WatchdogSec=, for this process unless
// another pid is given.
struct Watchdog {
  explicit Watchdog(const char* usec, pid_t pid = ::getpid()) {
    ::setenv("WATCHDOG_USEC", usec, 1);
    ::setenv("WATCHDOG_PID", std::to_string(pid).c_str(), 1);
  }
  ~Watchdog() {
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
};

}  // namespace

TEST_CASE("systemd hears ready, the status line, reloading and stopping", "[unit][service]") {
  const test::TempDir dir;
  const NotifySocket systemd((dir.path() / "notify").string());
  const ServiceNotifier service;
  service.ready("Not ready:\nsee /readyz");
  CHECK(systemd.receive() == "READY=1\nSTATUS=Not ready: see /readyz");
  service.heartbeat("Ready");
  CHECK(systemd.receive() == "STATUS=Ready");  // no watchdog asked for: no ping
  service.reloading();
  CHECK(systemd.receive() == "RELOADING=1\nSTATUS=Reloading the config");
  service.stopping();
  CHECK(systemd.receive() == "STOPPING=1\nSTATUS=Stopping");
  CHECK(service.heartbeat_period() == ServiceNotifier::kMaxHeartbeatPeriod);
}

TEST_CASE("with WatchdogSec the heartbeat pings twice per interval", "[unit][service]") {
  const test::TempDir dir;
  const NotifySocket systemd((dir.path() / "notify").string());
  SECTION("a short interval") {
    const Watchdog watchdog("2000000");
    const ServiceNotifier service;
    CHECK(service.heartbeat_period() == 1000ms);
    service.heartbeat("Ready");
    CHECK(systemd.receive() == "WATCHDOG=1\nSTATUS=Ready");
  }
  SECTION("a long interval still refreshes the status every few seconds") {
    const Watchdog watchdog("60000000");
    CHECK(ServiceNotifier().heartbeat_period() == ServiceNotifier::kMaxHeartbeatPeriod);
  }
}

TEST_CASE("a socket in the abstract namespace hears the same", "[unit][service]") {
  const NotifySocket systemd("@edgegw-notify-test-" + std::to_string(::getpid()));
  const ServiceNotifier service;
  service.ready("Ready");
  CHECK(systemd.receive() == "READY=1\nSTATUS=Ready");
}

TEST_CASE("a watchdog meant for another process, or unreadable, is not pinged", "[unit][service]") {
  const test::TempDir dir;
  const NotifySocket systemd((dir.path() / "notify").string());
  SECTION("WATCHDOG_PID names the parent (the gateway was started by it)") {
    const Watchdog watchdog("2000000", ::getppid());
    const ServiceNotifier service;
    CHECK(service.heartbeat_period() == ServiceNotifier::kMaxHeartbeatPeriod);
    service.heartbeat("Ready");
    CHECK(systemd.receive() == "STATUS=Ready");
  }
  SECTION("WATCHDOG_USEC is not a number, or zero") {
    for (const char* usec : {"2s", "", "0", "-5"}) {
      const Watchdog watchdog(usec);
      CHECK(ServiceNotifier().heartbeat_period() == ServiceNotifier::kMaxHeartbeatPeriod);
    }
  }
}

TEST_CASE("outside systemd the notifier does nothing and does not fail", "[unit][service]") {
  ::unsetenv("NOTIFY_SOCKET");
  const ServiceNotifier service;
  service.ready("Ready");
  service.heartbeat("Ready");
  service.stopping();
  CHECK(service.heartbeat_period() == ServiceNotifier::kMaxHeartbeatPeriod);
}

}  // namespace edgegw::app
