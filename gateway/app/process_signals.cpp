#include "app/process_signals.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <csignal>

#include "http/unique_fd.hpp"

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

std::optional<int> wait_for_termination_signal(std::chrono::milliseconds timeout, int wake_fd) {
  const sigset_t set = termination_signals();
  // The signals are blocked, so a signalfd sees them, pending ones included.
  const http::UniqueFd signals(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!signals.valid()) {
    return wait_for_termination_signal(timeout);  // out of descriptors: signals still count
  }
  std::array<pollfd, 2> fds{{{signals.get(), POLLIN, 0}, {wake_fd, POLLIN, 0}}};
  if (::poll(fds.data(), fds.size(), static_cast<int>(timeout.count())) <= 0 ||
      (fds[0].revents & POLLIN) == 0) {
    return std::nullopt;  // the timeout, the wake fd, or EINTR
  }
  signalfd_siginfo info{};
  if (::read(signals.get(), &info, sizeof(info)) != sizeof(info)) {
    return std::nullopt;
  }
  return static_cast<int>(info.ssi_signo);
}

}  // namespace edgegw::app
