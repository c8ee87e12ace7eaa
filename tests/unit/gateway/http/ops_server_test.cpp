// The operations endpoint on loopback, under the clients the review found it could not
// bear: a 400 MiB body, 300 idle connections, 8 slowloris clients; and its token,
// HEAD and keep-alive.

#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/ops_server.hpp"
#include "raw_http_client.hpp"
#include "support/process_usage.hpp"

using edgegw::HttpConfig;
using edgegw::http::OpsHandlers;
using edgegw::http::OpsServer;
using edgegw::http::Refusal;
using edgegw::http::ReloadHandler;
using edgegw::test::RawHttpClient;
using edgegw::test::RawResponse;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kMiB = 1024 * 1024;
const std::string kMetricsText = "edgegw_up{gateway=\"gw\"} 1\n";

HttpConfig loopback_config() {
  HttpConfig config;
  config.listen = "127.0.0.1:0";
  return config;
}

struct TestServer {
  explicit TestServer(HttpConfig config = loopback_config(), ReloadHandler reload = {})
      : server(std::move(config),
               OpsHandlers{[] { return kMetricsText; }, [] { return true; },
                           [] { return std::string("status\n"); }, std::move(reload)}) {
    server.start();
  }
  [[nodiscard]] int port() const { return server.port(); }
  [[nodiscard]] std::uint64_t refused(Refusal reason) const {
    return server.probe().refused.at(static_cast<std::size_t>(reason)).load();
  }

  OpsServer server;
};

std::size_t open_fds() {
  std::size_t count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (::readdir(dir) != nullptr) {
    ++count;
  }
  ::closedir(dir);
  return count;
}

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("a 400 MiB POST is refused with 413 and its body is never read", "[unit][http]") {
  const TestServer server;
  RawHttpClient client(server.port());
  REQUIRE(client.connected());
  const double rss_before = edgegw::test::process_rss_mib(::getpid());
  REQUIRE(client.send("POST / HTTP/1.1\r\nHost: gw\r\nContent-Length: 419430400\r\n\r\n"));
  const RawResponse response = client.read_response();
  CHECK(response.status == 413);
  CHECK(response.head.find("Connection: close") != std::string::npos);
  // The server has closed: only socket buffers take any of the body before a reset.
  const std::string chunk(kMiB, 'x');
  std::size_t sent = 0;
  while (sent < 400 * kMiB && client.send(chunk)) {
    sent += chunk.size();
  }
  CHECK(sent < 16 * kMiB);
  CHECK(edgegw::test::process_rss_mib(::getpid()) - rss_before < 32);
  CHECK(server.refused(Refusal::body) == 1);
}

TEST_CASE("300 idle connections are capped at max_connections and /healthz still answers",
          "[unit][http]") {
  const TestServer server;  // max_connections 32
  const std::size_t fds_before = open_fds();
  std::vector<std::unique_ptr<RawHttpClient>> idle;
  for (int i = 0; i < 300; ++i) {
    idle.push_back(std::make_unique<RawHttpClient>(server.port()));
    INFO("client " << i << " errno " << errno);
    REQUIRE(idle.back()->connected());
  }
  const auto start = Clock::now();
  RawHttpClient probe(server.port());
  CHECK(probe.get("/healthz").status == 200);
  const double healthz_ms = milliseconds_since(start);
  CHECK(healthz_ms < 1000);
  // Our 301 client sockets, and on the server's side no more than the cap.
  const std::size_t server_fds = open_fds() - fds_before - 301;
  CHECK(server_fds <= 32);
  CHECK(server.server.probe().connections.load() <= 32);
  CHECK(server.refused(Refusal::connection_limit) >= 300 - 32);
  CHECK(idle.front()->closed_by_server());  // the oldest went first
}

TEST_CASE("8 slowloris clients neither starve /healthz nor outlive request_timeout",
          "[unit][http]") {
  HttpConfig config = loopback_config();
  config.request_timeout = 1500ms;
  const TestServer server(config);
  std::vector<std::unique_ptr<RawHttpClient>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<RawHttpClient>(server.port()));
    REQUIRE(slow.back()->send("GET / HTTP/1.1\r\n"));
  }
  std::vector<double> latencies_ms;
  const auto start = Clock::now();
  while (Clock::now() - start < 3s) {
    for (const auto& client : slow) {
      client->send("X-Slow: 1\r\n");  // a header line now and then, never the blank line
    }
    const auto asked = Clock::now();
    RawHttpClient probe(server.port());
    CHECK(probe.get("/healthz").status == 200);
    latencies_ms.push_back(milliseconds_since(asked));
    std::this_thread::sleep_for(250ms);
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double min_ms = latencies_ms.front();
  const double median_ms = latencies_ms[latencies_ms.size() / 2];
  const double max_ms = latencies_ms.back();
  CAPTURE(min_ms, median_ms, max_ms);
  CHECK(max_ms < 1000);
  for (const auto& client : slow) {
    CHECK(client->closed_by_server());
  }
  CHECK(server.refused(Refusal::timeout) == 8);
}

TEST_CASE("with a token every path but /healthz needs it as a bearer token", "[unit][http]") {
  HttpConfig config = loopback_config();
  config.token = "s3cret-token";
  const TestServer server(config);
  CHECK(RawHttpClient(server.port()).get("/healthz").status == 200);
  const RawResponse refused = RawHttpClient(server.port()).get("/metrics");
  CHECK(refused.status == 401);
  CHECK(refused.head.find("WWW-Authenticate: Bearer") != std::string::npos);
  CHECK(refused.body.find("edgegw_") == std::string::npos);
  CHECK(RawHttpClient(server.port()).get("/", "Authorization: Bearer s3cret-tokeN\r\n").status ==
        401);
  CHECK(RawHttpClient(server.port()).get("/", "Authorization: Basic s3cret-token\r\n").status ==
        401);
  const RawResponse allowed =
      RawHttpClient(server.port()).get("/metrics", "Authorization: Bearer s3cret-token\r\n");
  CHECK(allowed.status == 200);
  CHECK(allowed.body == kMetricsText);
  CHECK(server.refused(Refusal::unauthorized) == 3);

  const TestServer open_server;
  CHECK(RawHttpClient(open_server.port()).get("/metrics").status == 200);
}

TEST_CASE("HEAD, keep-alive, 404 and 405 on one endpoint", "[unit][http]") {
  HttpConfig config = loopback_config();
  config.keep_alive_timeout = 300ms;
  const TestServer server(config);
  RawHttpClient client(server.port());
  REQUIRE(client.send("HEAD /metrics HTTP/1.1\r\nHost: gw\r\n\r\n"));
  const RawResponse head = client.read_response(true);
  CHECK(head.status == 200);
  CHECK(head.head.find("Content-Length: " + std::to_string(kMetricsText.size()) + "\r\n") !=
        std::string::npos);
  // The same connection, twice more, two requests sent at once.
  REQUIRE(client.send("GET /readyz HTTP/1.1\r\n\r\nGET /nowhere HTTP/1.1\r\n\r\n"));
  const RawResponse ready = client.read_response();
  CHECK(ready.status == 200);
  CHECK(ready.body == "ready\n");
  CHECK(client.read_response().status == 404);
  CHECK(server.server.probe().requests.load() == 3);
  CHECK(server.server.probe().connections.load() == 1);
  const auto idle_since = Clock::now();
  CHECK(client.closed_by_server());  // after keep_alive_timeout
  CHECK(milliseconds_since(idle_since) < 1500);

  RawHttpClient poster(server.port());
  REQUIRE(poster.send("DELETE /metrics HTTP/1.1\r\n\r\n"));
  const RawResponse refused = poster.read_response();
  CHECK(refused.status == 405);
  CHECK(refused.head.find("Allow: GET, HEAD\r\n") != std::string::npos);
  CHECK(poster.closed_by_server());
}

TEST_CASE("an oversized head is refused with 431 without waiting for its end", "[unit][http]") {
  const TestServer server;
  RawHttpClient client(server.port());
  REQUIRE(client.send("GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'x')));
  CHECK(client.read_response().status == 431);
  CHECK(client.closed_by_server());
  CHECK(server.refused(Refusal::header_too_large) == 1);
}
