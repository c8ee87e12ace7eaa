// The dashboard's server on loopback: plain answers, event streams reaching every page,
// the cap on streams, and a client too slow for its events, which is dropped instead of
// buffered. And the service's routes: the page, Chart.js, /api/state and its filters.

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "../http/raw_http_client.hpp"
#include "dashboard/dashboard_server.hpp"
#include "dashboard/dashboard_service.hpp"

using edgegw::DashboardConfig;
using edgegw::DashboardHttpConfig;
using edgegw::dashboard::DashboardServer;
using edgegw::dashboard::DashboardService;
using edgegw::test::RawHttpClient;
using namespace std::chrono_literals;

namespace {

DashboardHttpConfig loopback() {
  DashboardHttpConfig config;
  config.listen = "127.0.0.1:0";
  return config;
}

edgegw::http::Response echo(std::string_view path, std::string_view query) {
  return {200, "OK", "text/plain", std::string(path) + "?" + std::string(query), ""};
}

// A raw connection that reads what an event stream sends, up to a deadline.
class StreamClient {
 public:
  explicit StreamClient(int port, int receive_buffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (receive_buffer > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    }
    timeval timeout{0, 200 * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
    const std::string request = "GET /events HTTP/1.1\r\nHost: t\r\n\r\n";
    ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
  }
  ~StreamClient() { ::close(fd_); }
  StreamClient(const StreamClient&) = delete;
  StreamClient& operator=(const StreamClient&) = delete;

  // Reads until `text` arrived, the server closed, or 5 s passed.
  bool wait_for(std::string_view text) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (received_.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline || !read_some()) {
        return received_.find(text) != std::string::npos;
      }
    }
    return true;
  }
  // Reads what has arrived, or waits for it up to the receive timeout (200 ms); the
  // bytes are dropped, not kept.
  void drain() {
    char chunk[65536];
    [[maybe_unused]] const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  }
  [[nodiscard]] bool connected() const { return connected_; }
  [[nodiscard]] const std::string& received() const { return received_; }

 private:
  bool read_some() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) {
      return false;
    }
    if (n > 0) {
      received_.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string received_;
};

}  // namespace

TEST_CASE("plain requests get the handler's answer, with the query apart", "[unit][dashboard]") {
  DashboardServer server(loopback(), echo);
  server.start();
  RawHttpClient client(server.port());
  const auto response = client.get("/api/state?device=p-1");
  CHECK(response.status == 200);
  CHECK(response.body == "/api/state?device=p-1");
  CHECK(response.head.find("Connection: close") != std::string::npos);
}

TEST_CASE("an event published reaches every open stream", "[unit][dashboard]") {
  DashboardServer server(loopback(), echo);
  server.start();
  StreamClient first(server.port());
  StreamClient second(server.port());
  REQUIRE(first.wait_for("retry: 2000\n\n"));
  REQUIRE(second.wait_for("retry: 2000\n\n"));
  CHECK(first.received().starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"));
  server.publish("alert", R"({"seq":1})");
  CHECK(first.wait_for("event: alert\ndata: {\"seq\":1}\n\n"));
  CHECK(second.wait_for("event: alert\ndata: {\"seq\":1}\n\n"));
  CHECK(server.counters().streams_open == 2);
}

TEST_CASE("a stream beyond max_clients is answered 503", "[unit][dashboard]") {
  DashboardHttpConfig config = loopback();
  config.max_clients = 1;
  DashboardServer server(config, echo);
  server.start();
  StreamClient first(server.port());
  REQUIRE(first.wait_for("retry: 2000"));
  StreamClient second(server.port());
  CHECK(second.wait_for("HTTP/1.1 503 Service Unavailable"));
  CHECK(server.counters().streams_refused == 1);
}

TEST_CASE("a client that does not read its stream is dropped, not buffered", "[unit][dashboard]") {
  DashboardHttpConfig config = loopback();
  config.max_client_backlog = 64 * 1024;
  DashboardServer server(config, echo);
  server.start();
  StreamClient reader(server.port());
  StreamClient stalled(server.port(), 4096);  // never reads after the head
  REQUIRE(reader.wait_for("retry: 2000"));
  REQUIRE(stalled.wait_for("retry: 2000"));
  const std::string data(8 * 1024, 'x');
  server.publish("probe", data);
  REQUIRE(reader.wait_for("event: probe"));
  // The reader keeps up on a thread of its own while events pour out; the stalled
  // client's socket buffers fill (some megabytes), then its backlog.
  std::atomic<bool> publishing{true};
  std::thread reading([&] {
    while (publishing.load()) {
      reader.drain();
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (server.counters().slow_clients_dropped == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    server.publish("aggregate", data);
  }
  publishing = false;
  reading.join();
  CHECK(server.counters().slow_clients_dropped >= 1);
  CHECK(server.counters().slow_clients_dropped == 1);
  CHECK(server.counters().streams_open == 1);  // the reader stays
}

TEST_CASE("the service serves the page, Chart.js and a filtered /api/state", "[unit][dashboard]") {
  DashboardConfig config;
  config.http.listen = "127.0.0.1:0";
  const DashboardService service(config);  // not started: no Kafka needed for answers
  const auto page = service.answer("/", "");
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.body.find("<script src=\"/chart.min.js\">") != std::string::npos);
  const auto chart = service.answer("/chart.min.js", "");
  CHECK(chart.body.find("Chart.js v3.9") != std::string::npos);
  CHECK(service.answer("/dashboard.js", "").body.find("EventSource") != std::string::npos);
  const auto state = service.answer("/api/state", "severity=warning");
  CHECK(state.status == 200);
  CHECK(state.content_type == "application/json");
  const auto json = nlohmann::json::parse(state.body);
  CHECK(json["open_alerts"].empty());
  CHECK(json["status"]["kafka"]["reachable"] == true);
  const auto refused = service.answer("/api/state", "severity=loud");
  CHECK(refused.status == 400);
  CHECK(refused.body.find("unknown severity 'loud'") != std::string::npos);
  CHECK(service.answer("/nope", "").status == 404);
}
