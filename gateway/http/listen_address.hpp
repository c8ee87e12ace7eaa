#pragma once
// The operations endpoint's `http.listen` address: `host:port` or `[ipv6]:port`. One
// parser, used by the config loader (so that check-config refuses what the server could
// not bind) and by the server itself.

#include <string>
#include <string_view>

#include "edgegw/result.hpp"

namespace edgegw::http {

struct ListenAddress {
  std::string host;  // as bind() takes it: an IPv6 address without its brackets
  int port = 0;      // 0: any free port (the server logs the one it got)
};

// Fails (code "bad_listen_address") with a sentence saying what is wrong: no host, no
// port, a port that is not a whole number within 0..65535.
Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace edgegw::http
