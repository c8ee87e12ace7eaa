#pragma once
// The operations endpoint's listening socket: non-blocking, bound to http.listen.

#include "edgegw/result.hpp"
#include "http/listen_address.hpp"
#include "http/unique_fd.hpp"

namespace edgegw::http {

struct ListenSocket {
  UniqueFd fd;
  int port = 0;  // the one bound (the one picked, for port 0)
};

// Resolves the host (a name such as `localhost` too) and binds the first address that
// takes it; fails naming the address and the OS's reason.
Result<ListenSocket> open_listen_socket(const ListenAddress& address);

}  // namespace edgegw::http
