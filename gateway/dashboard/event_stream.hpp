#pragma once
// Server-sent events (text/event-stream): how one event is framed, and the bounded queue
// of bytes one client has not taken yet. Pure, so that framing and the slow-client bound
// are tested without sockets.

#include <cstddef>
#include <string>
#include <string_view>

namespace edgegw::dashboard {

// The head of an event stream response: no length, the body lasts until either side
// closes; `retry` tells EventSource how soon to reconnect after a drop.
std::string event_stream_head();

// `event: <name>` and one `data:` line per line of `data` (SSE joins them back with \n),
// then the blank line that ends the event.
std::string frame_event(std::string_view name, std::string_view data);

// A comment line: keeps an idle stream open through proxies, and finds dead clients.
std::string keepalive_comment();

// What is queued for one client. push() refuses once the client lags by more than
// `max_backlog` bytes: the server then drops the client instead of growing without limit.
class StreamBacklog {
 public:
  explicit StreamBacklog(std::size_t max_backlog) : max_backlog_(max_backlog) {}

  [[nodiscard]] bool push(std::string_view bytes);
  [[nodiscard]] bool empty() const { return sent_ == bytes_.size(); }
  [[nodiscard]] std::size_t size() const { return bytes_.size() - sent_; }
  [[nodiscard]] std::string_view unsent() const { return std::string_view(bytes_).substr(sent_); }
  void consume(std::size_t n);  // the socket took n bytes of unsent()

 private:
  std::size_t max_backlog_;
  std::string bytes_;
  std::size_t sent_ = 0;
};

}  // namespace edgegw::dashboard
