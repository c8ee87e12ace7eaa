#pragma once
// Daemon-style signal handling: the termination signals are blocked in every thread
// (call before any thread starts, so threads inherit the mask) and the main thread
// waits for them synchronously, so no work happens in an async signal handler.

namespace edgegw::app {

void block_termination_signals();
// Returns the signal received: SIGTERM, SIGINT or SIGHUP.
int wait_for_termination_signal();

}  // namespace edgegw::app
