// POST /-/reload on the operations endpoint: offered only with a configured token and
// only to a client that presents it, only as a POST without a body, and answered later
// by whoever reloads (a DeferredReply), while the endpoint goes on serving.

#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/deferred_reply.hpp"
#include "http/ops_server.hpp"
#include "raw_http_client.hpp"

using edgegw::HttpConfig;
using edgegw::http::DeferredReply;
using edgegw::http::OpsHandlers;
using edgegw::http::OpsServer;
using edgegw::http::Refusal;
using edgegw::http::Response;
using edgegw::test::RawHttpClient;
using edgegw::test::RawResponse;
using namespace std::chrono_literals;

namespace {

const std::string kToken = "reload-s3cret";
const std::string kBearer = "Authorization: Bearer " + kToken + "\r\n";

// The reload requests the endpoint handed over, for the test to answer.
class HandedOver {
 public:
  void add(DeferredReply reply) {
    const std::lock_guard lock(mutex_);
    replies_.push_back(std::move(reply));
  }
  // Waits up to a second for the first one to arrive.
  std::vector<DeferredReply> take() {
    for (int i = 0; i < 100 && count() == 0; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    const std::lock_guard lock(mutex_);
    return std::exchange(replies_, {});
  }
  std::size_t count() {
    const std::lock_guard lock(mutex_);
    return replies_.size();
  }

 private:
  std::mutex mutex_;
  std::vector<DeferredReply> replies_;
};

struct ReloadServer {
  explicit ReloadServer(std::string token) {
    HttpConfig config;
    config.listen = "127.0.0.1:0";
    config.token = std::move(token);
    server = std::make_unique<OpsServer>(
        config, OpsHandlers{[] { return std::string(); }, [] { return true; },
                            [] { return std::string("status\n"); },
                            [this](DeferredReply reply) { handed_over.add(std::move(reply)); }});
    server->start();
  }
  [[nodiscard]] std::uint64_t refused(Refusal reason) const {
    return server->probe().refused.at(static_cast<std::size_t>(reason)).load();
  }

  HandedOver handed_over;
  std::unique_ptr<OpsServer> server;
};

RawResponse post_reload(int port, const std::string& headers) {
  RawHttpClient client(port);
  if (!client.send("POST /-/reload HTTP/1.1\r\nHost: gw\r\n" + headers + "\r\n")) {
    return {};
  }
  return client.read_response();
}

}  // namespace

TEST_CASE("without a configured token POST /-/reload is refused with 403, saying why",
          "[unit][http]") {
  ReloadServer open("");
  const RawResponse refused = post_reload(open.server->port(), "");
  CHECK(refused.status == 403);
  CHECK_THAT(refused.body, Catch::Contains("http.token") && Catch::Contains("SIGHUP"));
  CHECK(open.refused(Refusal::forbidden) == 1);
  CHECK(open.handed_over.count() == 0);
  // Whatever it presents: there is no token to match.
  CHECK(post_reload(open.server->port(), "Authorization: Bearer anything\r\n").status == 403);
}

TEST_CASE("with a token POST /-/reload needs it: 401 without it or with a wrong one",
          "[unit][http]") {
  ReloadServer guarded(kToken);
  CHECK(post_reload(guarded.server->port(), "").status == 401);
  CHECK(post_reload(guarded.server->port(), "Authorization: Bearer reload-s3creT\r\n").status ==
        401);
  CHECK(guarded.refused(Refusal::unauthorized) == 2);
  CHECK(guarded.handed_over.count() == 0);
}

TEST_CASE("an authorized POST /-/reload is answered by whoever reloads, later", "[unit][http]") {
  ReloadServer guarded(kToken);
  RawHttpClient client(guarded.server->port(), 5s);
  REQUIRE(client.send("POST /-/reload HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n" + kBearer +
                      "\r\n"));
  std::vector<DeferredReply> replies = guarded.handed_over.take();
  REQUIRE(replies.size() == 1);
  // The endpoint goes on serving while the reload is pending.
  CHECK(RawHttpClient(guarded.server->port()).get("/", kBearer).status == 200);
  // The reload replaces the endpoint itself: the answer does not need it.
  guarded.server->stop();
  replies.front().send({200, "OK", "text/plain", "reloaded: gateway.yaml\n", ""});
  const RawResponse answer = client.read_response();
  CHECK(answer.status == 200);
  CHECK(answer.body == "reloaded: gateway.yaml\n");
  CHECK(answer.head.find("Connection: close") != std::string::npos);
  CHECK(client.closed_by_server());
}

TEST_CASE("a reload request never answered is told 503 when it is dropped", "[unit][http]") {
  ReloadServer guarded(kToken);
  RawHttpClient client(guarded.server->port());
  REQUIRE(client.send("POST /-/reload HTTP/1.1\r\n" + kBearer + "\r\n"));
  guarded.handed_over.take();  // destroyed unanswered: the gateway is shutting down
  const RawResponse answer = client.read_response();
  CHECK(answer.status == 503);
  CHECK_THAT(answer.body, Catch::Contains("shutting down"));
}

TEST_CASE("POST /-/reload with a body, GET /-/reload and POST elsewhere are refused",
          "[unit][http]") {
  ReloadServer guarded(kToken);
  const int port = guarded.server->port();
  CHECK(post_reload(port, "Content-Length: 2\r\n" + kBearer).status == 413);

  const RawResponse get = RawHttpClient(port).get("/-/reload", kBearer);
  CHECK(get.status == 405);
  CHECK(get.head.find("Allow: POST\r\n") != std::string::npos);

  RawHttpClient poster(port);
  REQUIRE(poster.send("POST /metrics HTTP/1.1\r\n" + kBearer + "\r\n"));
  const RawResponse elsewhere = poster.read_response();
  CHECK(elsewhere.status == 405);
  CHECK(elsewhere.head.find("Allow: GET, HEAD\r\n") != std::string::npos);
  CHECK(guarded.refused(Refusal::body) == 1);
  CHECK(guarded.refused(Refusal::method_not_allowed) == 2);
  CHECK(guarded.handed_over.count() == 0);
}
