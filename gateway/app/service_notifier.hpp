#pragma once
// Tells systemd how the daemon is doing, for a `Type=notify` service: ready once it has
// started, a status line for `systemctl status`, watchdog pings while the process runs,
// and stopping. Outside systemd (no NOTIFY_SOCKET in the environment) every call does
// nothing, so `edgegw run` behaves the same in a terminal, a container or a test.

#include <chrono>
#include <optional>
#include <string_view>

namespace edgegw::app {

class ServiceNotifier {
 public:
  ServiceNotifier();  // reads the watchdog interval systemd set (WatchdogSec=)

  void ready(std::string_view status) const;
  void stopping() const;
  // Until the next ready(): systemd holds `systemctl reload` until the reload is done.
  void reloading() const;
  // A watchdog ping (when the unit has WatchdogSec=) and the current status line.
  void heartbeat(std::string_view status) const;

  // How often to call heartbeat(): half the watchdog interval (so that one late ping
  // is not a restart), at most kMaxHeartbeatPeriod so that the status line stays fresh.
  [[nodiscard]] std::chrono::milliseconds heartbeat_period() const;

  static constexpr std::chrono::milliseconds kMaxHeartbeatPeriod{5000};

 private:
  std::optional<std::chrono::microseconds> watchdog_interval_;
};

}  // namespace edgegw::app
