#pragma once
// Why the operations endpoint refused a request (or a connection that never made one):
// each cause is a status line for the client and a `reason` label of
// edgegw_http_requests_refused_total for the operator.

#include <array>
#include <cstddef>
#include <string_view>

namespace edgegw::http {

enum class Refusal {
  bad_request,         // 400: not an HTTP/1.x request head
  unauthorized,        // 401: a token is configured and the request lacks it
  forbidden,           // 403: POST /-/reload while no token is configured
  method_not_allowed,  // 405: GET and HEAD, or POST on /-/reload only
  body,                // 413: a request with a body (never read)
  uri_too_long,        // 414: the request line is longer than its cap
  header_too_large,    // 431: the header section is larger than its cap
  timeout,             // the head did not arrive within http.request_timeout: closed
  connection_limit,    // closed unanswered to admit a newer connection
};

inline constexpr std::size_t kRefusalCount = 9;

struct RefusalInfo {
  int status;  // 0: the connection is closed without an answer
  std::string_view status_text;
  std::string_view reason;  // the metrics label
};

constexpr RefusalInfo refusal_info(Refusal refusal) {
  constexpr std::array<RefusalInfo, kRefusalCount> kInfo = {{
      {400, "Bad Request", "bad_request"},
      {401, "Unauthorized", "unauthorized"},
      {403, "Forbidden", "forbidden"},
      {405, "Method Not Allowed", "method_not_allowed"},
      {413, "Content Too Large", "body"},
      {414, "URI Too Long", "uri_too_long"},
      {431, "Request Header Fields Too Large", "header_too_large"},
      {0, "", "timeout"},
      {0, "", "connection_limit"},
  }};
  return kInfo.at(static_cast<std::size_t>(refusal));
}

}  // namespace edgegw::http
