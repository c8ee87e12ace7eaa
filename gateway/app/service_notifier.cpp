#include "app/service_notifier.hpp"

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace edgegw::app {
namespace {

// sd_notify returns <= 0 when there is no systemd to tell or the datagram could not be
// sent; neither is a reason to stop the gateway, so its result is deliberately unused.
void notify(const std::string& state) {
  (void)sd_notify(0, state.c_str());
}

// One line: systemd shows STATUS= as is, and a newline would end the assignment.
std::string one_line(std::string_view text) {
  std::string line(text);
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line;
}

}  // namespace

ServiceNotifier::ServiceNotifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_interval_ = std::chrono::microseconds(usec);
  }
}

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
