#pragma once
// The head of one HTTP/1.x request (request line and header fields) read from the bytes
// a connection has received so far. A pure function of those bytes, so that every limit
// is tested without a socket; the server (ops_server.hpp) only moves bytes.
//
// The endpoint serves a few fixed paths to GET and HEAD, and one action to a POST
// without a body (/-/reload), so the parser is strict and small: a body of any size is
// refused (the server answers before reading it), and so is anything this gateway would
// have to guess about (folded lines, absolute URIs, other HTTP versions). Which method
// a path accepts is the server's business.

#include <cstddef>
#include <string>
#include <string_view>

#include "http/refusal.hpp"

namespace edgegw::http {

enum class Method { get, head, post };

struct RequestHead {
  Method method = Method::get;
  std::string path;           // the target without its query string
  bool keep_alive = true;     // HTTP/1.1 unless `Connection: close`; never 1.0
  std::string authorization;  // the Authorization field, as sent
};

struct HeadLimits {
  std::size_t max_request_line = 2048;    // beyond: 414
  std::size_t max_head_bytes = 8 * 1024;  // request line and fields; beyond: 431
};

struct ParsedHead {
  enum class State { incomplete, complete, refused };
  State state = State::incomplete;
  RequestHead head;            // when complete
  Refusal refusal{};           // when refused
  std::size_t head_bytes = 0;  // when complete: the bytes of `received` the head took
};

// Incomplete while `received` holds no whole head and no limit is exceeded yet: the
// caller reads more (at most max_head_bytes + 1 in all) and asks again.
ParsedHead parse_request_head(std::string_view received, const HeadLimits& limits = {});

}  // namespace edgegw::http
