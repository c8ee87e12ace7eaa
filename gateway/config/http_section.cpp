#include "config/sections.hpp"

namespace edgegw::config {

HttpConfig parse_http_section(const ConfigNode& node) {
  HttpConfig http;
  if (!node.defined()) {
    return http;
  }
  node.check_keys({"enabled", "listen"});
  http.enabled = node.get<bool>("enabled", http.enabled);
  http.listen = node.get<std::string>("listen", http.listen);
  if (http.listen.find(':') == std::string::npos) {
    node.child("listen").fail("expected host:port, e.g. 127.0.0.1:8787");
  }
  return http;
}

}  // namespace edgegw::config
