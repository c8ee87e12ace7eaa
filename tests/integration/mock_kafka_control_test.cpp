// `edgegw mock-kafka --control`'s commands, applied to a mock cluster and observed the
// way a client sees them: a connection refused while the brokers are down, an
// unanswered request while they hang.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <string>

#include "app/mock_kafka_control.hpp"
#include "kafka/mock_cluster.hpp"

namespace edgegw::test {
namespace {

using namespace std::chrono_literals;

// A client connection to the first broker of `bootstrap` ("127.0.0.1:port,...").
class BrokerConnection {
 public:
  explicit BrokerConnection(const std::string& bootstrap) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    const auto colon = bootstrap.find(':');
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(bootstrap.substr(colon + 1))));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  BrokerConnection(const BrokerConnection&) = delete;
  BrokerConnection& operator=(const BrokerConnection&) = delete;
  ~BrokerConnection() { ::close(fd_); }

  // Whether the broker took the connection and answers a request within `timeout`
  // (-1: it kept the connection without answering; 0: refused or closed).
  int answers_within(std::chrono::milliseconds timeout) {
    if (!connected_) {
      return 0;
    }
    send_api_versions_request();
    const ssize_t n = read_within(timeout);
    return n > 0 ? 1 : static_cast<int>(n);
  }

 private:
  // An ApiVersions request (v0), the first thing every Kafka client sends.
  void send_api_versions_request() {
    const std::array<unsigned char, 14> request = {0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 7, 0, 0};
    REQUIRE(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));
  }
  // Bytes read within `timeout`: 0 when the broker closed the connection, -1 when it
  // sent nothing.
  ssize_t read_within(std::chrono::milliseconds timeout) {
    pollfd in{fd_, POLLIN, 0};
    if (::poll(&in, 1, static_cast<int>(timeout.count())) <= 0) {
      return -1;
    }
    std::array<char, 4096> buffer{};
    return ::recv(fd_, buffer.data(), buffer.size(), 0);
  }

  int fd_;
  bool connected_ = false;
};

}  // namespace

TEST_CASE("mock-kafka control: down refuses connections, up answers again",
          "[integration][mock_kafka]") {
  kafka::MockCluster cluster(1);
  app::MockKafkaControl control(cluster);
  CHECK(control.apply("down\n") == "ok down");
  BrokerConnection refused(cluster.bootstrap_servers());
  CHECK(refused.answers_within(2s) == 0);

  CHECK(control.apply("up") == "ok up");
  BrokerConnection answered(cluster.bootstrap_servers());
  CHECK(answered.answers_within(2s) == 1);
}

TEST_CASE("mock-kafka control: hang keeps the connection but answers nothing until resume",
          "[integration][mock_kafka]") {
  kafka::MockCluster cluster(1);
  app::MockKafkaControl control(cluster);
  CHECK(control.apply("hang") == "ok hang");
  BrokerConnection hung(cluster.bootstrap_servers());
  CHECK(hung.answers_within(1s) == -1);  // neither an answer nor a close

  CHECK(control.apply("resume") == "ok resume");
  BrokerConnection resumed(cluster.bootstrap_servers());
  CHECK(resumed.answers_within(2s) == 1);
}

TEST_CASE("mock-kafka control: a bad command is refused with the list of commands",
          "[integration][mock_kafka]") {
  kafka::MockCluster cluster(1);
  app::MockKafkaControl control(cluster);
  CHECK(control.apply("rtt 250") == "ok rtt 250");
  CHECK(control.apply("rtt -1").rfind("error: rtt takes milliseconds", 0) == 0);
  CHECK(control.apply("rtt 10ms").rfind("error:", 0) == 0);
  CHECK(control.apply("explode") ==
        "error: unknown command 'explode' (down, up, rtt MS, hang, resume)");
}

}  // namespace edgegw::test
