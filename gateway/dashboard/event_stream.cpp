#include "dashboard/event_stream.hpp"

#include <algorithm>

namespace edgegw::dashboard {

std::string event_stream_head() {
  return "HTTP/1.1 200 OK\r\n"
         "Content-Type: text/event-stream\r\n"
         "Cache-Control: no-store\r\n"
         "X-Accel-Buffering: no\r\n"  // a reverse proxy must pass events on at once
         "Connection: close\r\n"
         "\r\n"
         "retry: 2000\n\n";
}

std::string frame_event(std::string_view name, std::string_view data) {
  std::string out = "event: ";
  out += name;
  out += '\n';
  while (true) {
    const std::size_t end = data.find('\n');
    out += "data: ";
    out += data.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) {
      break;
    }
    data.remove_prefix(end + 1);
  }
  out += '\n';
  return out;
}

std::string keepalive_comment() {
  return ": keepalive\n\n";
}

bool StreamBacklog::push(std::string_view bytes) {
  if (size() + bytes.size() > max_backlog_) {
    return false;
  }
  // Sent bytes are dropped once they are the larger part, so that memory follows the
  // backlog rather than everything ever sent.
  if (sent_ > 0 && sent_ >= bytes_.size() / 2) {
    bytes_.erase(0, sent_);
    sent_ = 0;
  }
  bytes_.append(bytes);
  return true;
}

void StreamBacklog::consume(std::size_t n) {
  sent_ = std::min(bytes_.size(), sent_ + n);
  if (sent_ == bytes_.size()) {
    bytes_.clear();
    sent_ = 0;
  }
}

}  // namespace edgegw::dashboard
