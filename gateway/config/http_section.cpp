#include "config/option_table.hpp"
#include "config/secret_source.hpp"
#include "config/sections.hpp"
#include "http/listen_address.hpp"

namespace edgegw::config {
namespace {

constexpr std::string_view kToken = "the bearer token of the operations endpoint";

const OptionTable<HttpConfig>& http_options() {
  static const OptionTable<HttpConfig> table = {
      flag<HttpConfig>("enabled", &HttpConfig::enabled, "Serve the operations endpoint."),
      text<HttpConfig>("listen", &HttpConfig::listen,
                       "`host:port`, an IPv6 host in brackets (`[::1]:8787`); the port is 1 to "
                       "65535, or `0` to pick a free one (logged). `0.0.0.0` or `[::]` listen on "
                       "every interface. Loopback by default: expose it deliberately, with a "
                       "`token` (`check-config` warns otherwise)."),
      duration<HttpConfig>("request_timeout", &HttpConfig::request_timeout, between(100, 300000),
                           "From a request's first byte to its last header line, and again for "
                           "its answer to be taken: a slower client is closed (counted as "
                           "`timeout`)."),
      duration<HttpConfig>("keep_alive_timeout", &HttpConfig::keep_alive_timeout,
                           between(100, 300000),
                           "How long an idle connection stays open between requests."),
      integer<HttpConfig>("max_connections", &HttpConfig::max_connections, between(1, 10000),
                          "Connections open at once. A new one beyond it closes the connection "
                          "that has waited longest without a complete request (counted as "
                          "`connection_limit`), so that a fresh `/healthz` probe gets through "
                          "idle or slow clients."),
      secret<HttpConfig>("token", SecretForm::value, kToken),
      secret<HttpConfig>("token", SecretForm::env, kToken),
      secret<HttpConfig>("token", SecretForm::file, kToken),
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
  http.token = read_secret(node, "token").value_or("");
  // Every path but /healthz then requires `Authorization: Bearer <token>`: a token that
  // could not be sent in that header would lock everyone out.
  if (!secret_key(node, "token").empty() &&
      (http.token.empty() || http.token.find_first_of(" \t\r\n") != std::string::npos)) {
    node.child(secret_key(node, "token"))
        .fail("the token must be non-empty, without spaces or line breaks");
  }
  return http;
}

std::vector<OptionDoc> describe_http_section() {
  return describe_options(http_options());
}

}  // namespace edgegw::config
