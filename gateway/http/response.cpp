#include "http/response.hpp"

#include <fmt/format.h>

namespace edgegw::http {

std::string serialize(const Response& response, bool keep_alive, bool head_only) {
  std::string bytes = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: "
      "no-store\r\n{}{}\r\n",
      response.status, response.status_text, response.content_type, response.body.size(),
      response.extra_headers, keep_alive ? "" : "Connection: close\r\n");
  if (!head_only) {
    bytes += response.body;
  }
  return bytes;
}

Response refusal_response(Refusal refusal, std::string_view allowed_methods) {
  const RefusalInfo info = refusal_info(refusal);
  Response response{info.status, info.status_text, "text/plain",
                    fmt::format("{} {}\n", info.status, info.status_text), ""};
  if (refusal == Refusal::method_not_allowed) {
    response.extra_headers = fmt::format("Allow: {}\r\n", allowed_methods);
  } else if (refusal == Refusal::unauthorized) {
    response.extra_headers = "WWW-Authenticate: Bearer realm=\"edgegw\"\r\n";
  } else if (refusal == Refusal::forbidden) {
    response.body +=
        "Reloading over HTTP needs a token: set http.token (or http.token_env or "
        "http.token_file) and send it as a bearer token. Without one, send SIGHUP "
        "(systemctl reload edgegw).\n";
  }
  return response;
}

}  // namespace edgegw::http
