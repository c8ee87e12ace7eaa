#pragma once
// POST /-/reload requests on their way from the operations endpoint's thread to the main
// thread, which reloads exactly as for SIGHUP (config_reload.hpp) and answers each
// request with the outcome. The main thread sleeps on wake_fd() along with the signals.
// Requests that arrive during a reload wait for the next one (they may be about a file
// written meanwhile); those that wait together share one reload.

#include <mutex>
#include <vector>

#include "app/config_reload.hpp"
#include "http/deferred_reply.hpp"
#include "http/unique_fd.hpp"

namespace edgegw::app {

class ReloadRequests {
 public:
  // Beyond this many waiting, a request is answered 503 at once: each waits for a whole
  // reload, and a client that keeps asking should not pile up connections.
  static constexpr std::size_t kMaxWaiting = 8;

  ReloadRequests();  // throws std::runtime_error when no eventfd can be created

  // From the operations endpoint's thread: queues the request and wakes the main thread.
  void add(http::DeferredReply request);
  // From the main thread: the requests waiting now, in arrival order.
  [[nodiscard]] std::vector<http::DeferredReply> take_all();
  // Readable while requests wait.
  [[nodiscard]] int wake_fd() const { return wake_.get(); }

 private:
  std::mutex mutex_;
  std::vector<http::DeferredReply> waiting_;
  http::UniqueFd wake_;
};

// The answer to POST /-/reload: 200 applied, 422 refused (with the file:line reason; the
// running config stays), 500 when the new config did not start and the previous one
// runs again.
http::Response reload_response(const ReloadOutcome& outcome, const std::string& config_file);

}  // namespace edgegw::app
