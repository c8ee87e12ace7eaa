// The hand-over of POST /-/reload from the endpoint's thread to the main thread, and
// what the answer says for each outcome of a reload.

#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "app/reload_requests.hpp"

using edgegw::app::reload_response;
using edgegw::app::ReloadOutcome;
using edgegw::app::ReloadRequests;
using edgegw::http::DeferredReply;
using edgegw::http::UniqueFd;

namespace {

// A connected pair of sockets: the server's end goes into a DeferredReply, the test
// reads what it answered from the other.
struct SocketPair {
  SocketPair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
    server = UniqueFd(fds[0]);
    client = UniqueFd(fds[1]);
  }
  std::string answer() {
    std::string text;
    char chunk[1024];
    ssize_t n = 0;
    while ((n = ::recv(client.get(), chunk, sizeof(chunk), MSG_DONTWAIT)) > 0) {
      text.append(chunk, static_cast<std::size_t>(n));
    }
    return text;
  }
  UniqueFd server;
  UniqueFd client;
};

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

}  // namespace

TEST_CASE("reload requests wake the main thread and are taken all at once", "[unit][app]") {
  ReloadRequests requests;
  CHECK_FALSE(readable(requests.wake_fd()));
  SocketPair first;
  SocketPair second;
  requests.add(DeferredReply(std::move(first.server)));
  requests.add(DeferredReply(std::move(second.server)));
  CHECK(readable(requests.wake_fd()));
  std::vector<DeferredReply> taken = requests.take_all();
  CHECK(taken.size() == 2);
  CHECK_FALSE(readable(requests.wake_fd()));
  CHECK(requests.take_all().empty());
}

TEST_CASE("beyond the waiting limit a reload request is answered 503 at once", "[unit][app]") {
  ReloadRequests requests;
  std::vector<SocketPair> waiting(ReloadRequests::kMaxWaiting);
  for (auto& pair : waiting) {
    requests.add(DeferredReply(std::move(pair.server)));
  }
  SocketPair extra;
  requests.add(DeferredReply(std::move(extra.server)));
  CHECK_THAT(extra.answer(), Catch::StartsWith("HTTP/1.1 503 ") && Catch::Contains("waiting"));
  CHECK(requests.take_all().size() == ReloadRequests::kMaxWaiting);
}

TEST_CASE("the reload answer: 200 applied, 422 refused with its reason, 500 rolled back",
          "[unit][app]") {
  const ReloadOutcome applied{ReloadOutcome::Result::applied, "", nullptr};
  CHECK(reload_response(applied, "/etc/edgegw/gateway.yaml").status == 200);
  CHECK(reload_response(applied, "/etc/edgegw/gateway.yaml").body ==
        "reloaded: /etc/edgegw/gateway.yaml\n");

  const ReloadOutcome refused{ReloadOutcome::Result::refused,
                              "gateway.yaml:7:8: mqtt.qos: must be 0, 1 or 2", nullptr};
  const auto refusal = reload_response(refused, "gateway.yaml");
  CHECK(refusal.status == 422);
  CHECK_THAT(refusal.body, Catch::Contains("running config stays") &&
                               Catch::Contains("gateway.yaml:7:8: mqtt.qos"));

  const ReloadOutcome restored{ReloadOutcome::Result::previous_restored,
                               "http.listen: cannot listen on 127.0.0.1:1 (in use)", nullptr};
  const auto rollback = reload_response(restored, "gateway.yaml");
  CHECK(rollback.status == 500);
  CHECK_THAT(rollback.body,
             Catch::Contains("previous config runs again") && Catch::Contains("cannot listen"));
}
