#pragma once
// What the daemon needs of a forwarder, whichever delivery it implements: the
// at-least-once Forwarder (forwarder.hpp) or the TransactionalForwarder
// (transactional_forwarder.hpp), picked by kafka.delivery.

#include <chrono>

#include "forward/forwarder_probe.hpp"

namespace edgegw::forward {

class LogForwarder {
 public:
  LogForwarder() = default;
  LogForwarder(const LogForwarder&) = delete;
  LogForwarder& operator=(const LogForwarder&) = delete;
  virtual ~LogForwarder() = default;

  // Spawns the forwarder thread.
  virtual void start() = 0;
  // Stops it, giving what is in flight up to `flush_timeout`; what is not delivered by
  // then stays in the log for the next start. Called once, from another thread.
  virtual void stop(std::chrono::milliseconds flush_timeout) = 0;
  [[nodiscard]] virtual const ForwarderProbe& probe() const = 0;
};

}  // namespace edgegw::forward
