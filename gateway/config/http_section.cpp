#include "config/option_table.hpp"
#include "config/sections.hpp"
#include "http/listen_address.hpp"

namespace edgegw::config {
namespace {

const OptionTable<HttpConfig>& http_options() {
  static const OptionTable<HttpConfig> table = {
      flag<HttpConfig>("enabled", &HttpConfig::enabled, "Serve the operations endpoint."),
      text<HttpConfig>("listen", &HttpConfig::listen,
                       "`host:port`, an IPv6 host in brackets (`[::1]:8787`); the port is 1 to "
                       "65535, or `0` to pick a free one (logged). `0.0.0.0` or `[::]` listen on "
                       "every interface. Loopback by default: expose it deliberately."),
  };
  return table;
}

}  // namespace

HttpConfig parse_http_section(const ConfigNode& node) {
  HttpConfig http;
  read_options(node, http_options(), http);
  // The server's own parser, so that check-config refuses what `run` could not bind.
  if (const Result<http::ListenAddress> address = http::parse_listen_address(http.listen);
      !address) {
    node.child("listen").fail(address.error().message);
  }
  return http;
}

std::vector<OptionDoc> describe_http_section() {
  return describe_options(http_options());
}

}  // namespace edgegw::config
