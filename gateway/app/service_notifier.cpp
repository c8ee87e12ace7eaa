#include "app/service_notifier.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace edgegw::app {
namespace {

std::string_view environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string_view() : std::string_view(value);
}

// The notification protocol of sd_notify(3): one datagram with the state to the AF_UNIX
// socket named by $NOTIFY_SOCKET, a path, or an abstract name after "@". systemd calls
// the protocol, not its C wrapper, the stable interface and suggests speaking it
// directly; linking libsystemd for this would map five more libraries (0.8 MiB resident)
// into every gateway. Not being heard is no reason to stop the gateway, so failures are
// only returned.
bool notify(std::string_view state) {
  const std::string_view socket_name = environment("NOTIFY_SOCKET");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_name.size() < 2 || socket_name.size() >= sizeof(address.sun_path) ||
      (socket_name.front() != '/' && socket_name.front() != '@')) {
    return false;  // not under systemd, or a name no socket can have
  }
  std::memcpy(address.sun_path, socket_name.data(), socket_name.size());
  if (address.sun_path[0] == '@') {
    address.sun_path[0] = '\0';  // the abstract namespace
  }
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_name.size());
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  ::close(fd);
  return sent == static_cast<ssize_t>(state.size());
}

// WATCHDOG_USEC (WatchdogSec=), when WATCHDOG_PID is absent or names this process: a
// child started with the daemon's environment must not ping for it.
std::optional<std::chrono::microseconds> watchdog_interval() {
  const auto number = [](std::string_view text, auto& value) {
    const char* end = text.data() + text.size();
    return !text.empty() && std::from_chars(text.data(), end, value).ptr == end;
  };
  std::uint64_t usec = 0;
  if (!number(environment("WATCHDOG_USEC"), usec) || usec == 0) {
    return std::nullopt;
  }
  if (const std::string_view pid_text = environment("WATCHDOG_PID"); !pid_text.empty()) {
    pid_t pid = 0;
    if (!number(pid_text, pid) || pid != ::getpid()) {
      return std::nullopt;
    }
  }
  return std::chrono::microseconds(usec);
}

// One line: systemd shows STATUS= as is, and a newline would end the assignment.
std::string one_line(std::string_view text) {
  std::string line(text);
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line;
}

}  // namespace

ServiceNotifier::ServiceNotifier() : watchdog_interval_(watchdog_interval()) {}

void ServiceNotifier::ready(std::string_view status) const {
  notify(fmt::format("READY=1\nSTATUS={}", one_line(status)));
}

void ServiceNotifier::stopping() const {
  notify("STOPPING=1\nSTATUS=Stopping");
}

void ServiceNotifier::reloading() const {
  notify("RELOADING=1\nSTATUS=Reloading the config");
}

void ServiceNotifier::heartbeat(std::string_view status) const {
  notify(fmt::format("{}STATUS={}", watchdog_interval_ ? "WATCHDOG=1\n" : "", one_line(status)));
}

std::chrono::milliseconds ServiceNotifier::heartbeat_period() const {
  if (!watchdog_interval_) {
    return kMaxHeartbeatPeriod;
  }
  const auto half = std::chrono::duration_cast<std::chrono::milliseconds>(*watchdog_interval_ / 2);
  return std::clamp(half, std::chrono::milliseconds(1), kMaxHeartbeatPeriod);
}

}  // namespace edgegw::app
