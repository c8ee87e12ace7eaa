#pragma once
// A request the operations endpoint hands to another thread to answer later: POST
// /-/reload waits for a reload that stops and replaces the endpoint itself. The
// connection leaves the endpoint's loop with it, so the loop neither waits nor holds it,
// and the owner answers once, with `Connection: close`, from whichever thread it is on.
// Left unanswered, it answers 503 when destroyed (the gateway is shutting down).

#include <chrono>
#include <functional>

#include "http/response.hpp"
#include "http/unique_fd.hpp"

namespace edgegw::http {

class DeferredReply {
 public:
  // How long send() waits for the client to take the answer before giving up on it.
  static constexpr std::chrono::milliseconds kSendTimeout{2000};

  explicit DeferredReply(UniqueFd connection) : connection_(std::move(connection)) {}
  ~DeferredReply();
  DeferredReply(DeferredReply&&) noexcept = default;
  DeferredReply& operator=(DeferredReply&&) noexcept;
  DeferredReply(const DeferredReply&) = delete;
  DeferredReply& operator=(const DeferredReply&) = delete;

  // Writes the answer (waiting up to kSendTimeout) and closes the connection. Later
  // calls do nothing.
  void send(const Response& response);

 private:
  UniqueFd connection_;
};

// Where the endpoint hands a POST /-/reload; called on the endpoint's thread, so it must
// not wait for the reload.
using ReloadHandler = std::function<void(DeferredReply)>;

}  // namespace edgegw::http
