#include "app/process_signals.hpp"

#include <pthread.h>

#include <csignal>

namespace edgegw::app {
namespace {

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_termination_signals() {
  const sigset_t set = termination_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_termination_signal() {
  const sigset_t set = termination_signals();
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  return signal;
}

std::optional<int> wait_for_termination_signal(std::chrono::milliseconds timeout) {
  const sigset_t set = termination_signals();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec wait{.tv_sec = seconds.count(),
                      .tv_nsec = std::chrono::nanoseconds(timeout - seconds).count()};
  const int signal = sigtimedwait(&set, nullptr, &wait);
  if (signal < 0) {
    return std::nullopt;  // EAGAIN: the timeout; EINTR: another signal's handler ran
  }
  return signal;
}

}  // namespace edgegw::app
