#include "config/sections.hpp"
#include "http/listen_address.hpp"

namespace edgegw::config {

HttpConfig parse_http_section(const ConfigNode& node) {
  HttpConfig http;
  if (!node.defined()) {
    return http;
  }
  node.check_keys({"enabled", "listen"});
  http.enabled = node.get<bool>("enabled", http.enabled);
  http.listen = node.get<std::string>("listen", http.listen);
  // The server's own parser, so that check-config refuses what `run` could not bind.
  if (const Result<http::ListenAddress> address = http::parse_listen_address(http.listen);
      !address) {
    node.child("listen").fail(address.error().message);
  }
  return http;
}

}  // namespace edgegw::config
