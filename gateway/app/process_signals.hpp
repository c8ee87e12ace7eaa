#pragma once
// Daemon-style signal handling: the termination signals are blocked in every thread
// (call before any thread starts, so threads inherit the mask) and the main thread
// waits for them synchronously, so no work happens in an async signal handler.

#include <chrono>
#include <optional>

namespace edgegw::app {

void block_termination_signals();
// Returns the signal received: SIGTERM, SIGINT or SIGHUP.
int wait_for_termination_signal();
// The same, or nothing when none came within timeout.
std::optional<int> wait_for_termination_signal(std::chrono::milliseconds timeout);
// The same, or nothing as soon as `wake_fd` is readable (another thread asks the main
// thread for something: POST /-/reload).
std::optional<int> wait_for_termination_signal(std::chrono::milliseconds timeout, int wake_fd);

}  // namespace edgegw::app
