#include "app/reload_requests.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace edgegw::app {

ReloadRequests::ReloadRequests() : wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (!wake_.valid()) {
    throw std::runtime_error("reload requests: cannot create an eventfd");
  }
}

void ReloadRequests::add(http::DeferredReply request) {
  bool queued = false;
  {
    const std::lock_guard lock(mutex_);
    if (waiting_.size() < kMaxWaiting) {
      waiting_.push_back(std::move(request));
      queued = true;
    }
  }
  if (!queued) {  // answered outside the lock: the client may be slow to take it
    request.send({503, "Service Unavailable", "text/plain",
                  "not reloaded: too many reload requests are waiting; try again\n", ""});
    return;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_.get(), &one, sizeof(one));
}

std::vector<http::DeferredReply> ReloadRequests::take_all() {
  const std::lock_guard lock(mutex_);
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t read = ::read(wake_.get(), &count, sizeof(count));  // clears it
  return std::exchange(waiting_, {});
}

http::Response reload_response(const ReloadOutcome& outcome, const std::string& config_file) {
  switch (outcome.result) {
    case ReloadOutcome::Result::applied:
      return {200, "OK", "text/plain", fmt::format("reloaded: {}\n", config_file), ""};
    case ReloadOutcome::Result::refused:
      return {422, "Unprocessable Content", "text/plain",
              fmt::format("refused: the running config stays\n{}\n", outcome.detail), ""};
    case ReloadOutcome::Result::previous_restored:
      return {500, "Internal Server Error", "text/plain",
              fmt::format("not applied: the new config did not start; the previous config "
                          "runs again\n{}\n",
                          outcome.detail),
              ""};
  }
  return {500, "Internal Server Error", "text/plain", "unknown reload outcome\n", ""};
}

}  // namespace edgegw::app
