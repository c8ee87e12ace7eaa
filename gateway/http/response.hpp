#pragma once
// The bytes of one HTTP/1.1 response. Every response states its length, so that a
// keep-alive client knows where it ends; HEAD gets the same head without the body.

#include <string>
#include <string_view>

#include "http/refusal.hpp"

namespace edgegw::http {

struct Response {
  int status = 200;
  std::string_view status_text = "OK";
  std::string content_type = "text/plain";
  std::string body;
  std::string extra_headers;  // whole lines, each ending in \r\n (Allow, WWW-Authenticate)
};

// `keep_alive` false adds `Connection: close`; `head_only` leaves the body out.
std::string serialize(const Response& response, bool keep_alive, bool head_only);

// The answer to a refusal that has one (refusal_info(r).status != 0). A 405 names the
// methods the path allows.
Response refusal_response(Refusal refusal, std::string_view allowed_methods = "GET, HEAD");

}  // namespace edgegw::http
