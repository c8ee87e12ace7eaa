// The ingest's connect, re-subscribe and message handling, driven through a fake MQTT
// session (tests/support/fake_mqtt_session.*). The real broker is exercised by the
// integration tests; here each reconnect path is reached on purpose.

#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ingest/mqtt_ingest.hpp"
#include "support/fake_mqtt_session.hpp"

namespace {

using namespace std::chrono_literals;
using edgegw::MqttConfig;
using edgegw::ingest::ConnectBackoff;
using edgegw::ingest::MqttErrc;
using edgegw::ingest::MqttIngest;
using edgegw::test::FakeMqttSession;

MqttConfig test_config() {
  MqttConfig config;
  config.broker = "tcp://127.0.0.1:1";
  config.qos = 1;
  config.reconnect_min = 100ms;
  config.reconnect_max = 200ms;
  return config;
}

struct IngestUnderTest {
  explicit IngestUnderTest(MqttConfig config = test_config(),
                           std::vector<std::string> filters = {"plant/+/telemetry"}) {
    auto owned = std::make_unique<FakeMqttSession>();
    session = owned.get();
    ingest = std::make_unique<MqttIngest>(
        config, std::move(filters), std::move(owned),
        [this](std::string_view topic, std::string_view payload, const edgegw::MessageProperties&) {
          if (payload == "throw") {
            throw std::runtime_error("handler defect");
          }
          received.emplace_back(std::string(topic) + " " + std::string(payload));
        });
  }

  FakeMqttSession* session = nullptr;  // owned by the ingest
  std::vector<std::string> received;
  std::unique_ptr<MqttIngest> ingest;
};

}  // namespace

TEST_CASE("the first connect backs off from reconnect_min, doubling up to reconnect_max",
          "[ingest][unit]") {
  ConnectBackoff backoff(250ms, 1000ms);
  CHECK(backoff.next() == 250ms);
  CHECK(backoff.next() == 500ms);
  CHECK(backoff.next() == 1000ms);
  CHECK(backoff.next() == 1000ms);

  SECTION("a zero minimum cannot make the loop spin") {
    ConnectBackoff zero(0ms, 0ms);
    CHECK(zero.next() == ConnectBackoff::kFloor);
    CHECK(zero.next() == ConnectBackoff::kFloor);
  }
}

TEST_CASE("a broker that is not there yet is retried until it answers, then subscribed",
          "[ingest][unit]") {
  IngestUnderTest t;
  t.session->fail_next_connects(
      {{MqttErrc::failed, "connection refused"}, {MqttErrc::refused, "bad user name"}});
  t.ingest->start();

  REQUIRE(t.session->wait_until([&] { return !t.session->subscriptions().empty(); }, 5s));
  CHECK(t.session->connect_calls() == 3);
  CHECK(t.ingest->probe().connect_failures == 2);
  CHECK(t.ingest->probe().connects == 1);
  CHECK(t.ingest->probe().connected);
  const auto times = t.session->connect_times();
  CHECK(times[1] - times[0] >= 100ms);  // reconnect_min
  CHECK(times[2] - times[1] >= 200ms);  // doubled, capped at reconnect_max

  const auto subscriptions = t.session->subscriptions();
  REQUIRE(subscriptions.size() == 1);
  CHECK(subscriptions[0].filters == std::vector<std::string>{"plant/+/telemetry"});
  CHECK(subscriptions[0].qos == 1);
}

TEST_CASE("stop() ends the connect loop during its backoff, without waiting it out",
          "[ingest][unit]") {
  MqttConfig config = test_config();
  config.reconnect_min = 60s;
  config.reconnect_max = 60s;
  IngestUnderTest t(config);
  t.session->fail_next_connects({{MqttErrc::failed, "down"}});
  t.ingest->start();
  REQUIRE(t.session->wait_until([&] { return t.session->connect_calls() == 1; }, 5s));

  const auto before = std::chrono::steady_clock::now();
  t.ingest->stop();
  CHECK(std::chrono::steady_clock::now() - before < 30s);
  CHECK(t.session->connect_calls() == 1);
  CHECK(t.session->disconnect_calls() == 0);  // never connected
  CHECK_FALSE(t.ingest->probe().connected);
}

TEST_CASE("every reconnect subscribes again, since the config may have changed", "[ingest][unit]") {
  IngestUnderTest t(test_config(), {"a/#", "b/+"});
  t.ingest->start();
  REQUIRE(t.session->wait_until([&] { return t.session->subscriptions().size() == 1; }, 5s));

  t.session->raise_connection_lost("keep-alive timeout");
  CHECK_FALSE(t.ingest->probe().connected);
  CHECK(t.ingest->probe().connection_losses == 1);

  t.session->raise_connected();
  CHECK(t.ingest->probe().connected);
  CHECK(t.ingest->probe().connects == 2);
  const auto subscriptions = t.session->subscriptions();
  REQUIRE(subscriptions.size() == 2);
  CHECK(subscriptions[1].filters == std::vector<std::string>{"a/#", "b/+"});
}

TEST_CASE("a subscribe that fails is counted and asked again with backoff", "[ingest][unit]") {
  IngestUnderTest t;
  t.session->answer_subscribes_with({MqttErrc::failed, "not connected"});
  t.ingest->start();
  REQUIRE(t.session->wait_until([&] { return t.ingest->probe().callback_errors >= 1; }, 5s));
  CHECK_FALSE(t.ingest->probe().subscribed);

  t.session->answer_subscribes_with({});
  // Without a reconnect: the ingest's own thread asks again after reconnect_min or so.
  REQUIRE(t.session->wait_until([&] { return t.ingest->probe().subscribed.load(); }, 5s));
  CHECK(t.session->subscriptions().size() >= 2);
}

TEST_CASE("a subscription the broker refuses makes the ingest unready until granted",
          "[ingest][unit]") {
  IngestUnderTest t;
  t.ingest->start();
  REQUIRE(t.session->wait_until([&] { return t.ingest->probe().subscribed.load(); }, 5s));
  REQUIRE(t.session->subscriptions().size() == 1);

  // The SUBACK says 0x80 (an ACL): counted, unready, and asked again with backoff.
  t.session->raise_subscription_refused("the broker refused filter 'plant/+/telemetry'");
  CHECK(t.ingest->probe().subscriptions_refused == 1);
  CHECK_FALSE(t.ingest->probe().subscribed);
  // The session records the subscribe before the ingest, on its own thread, marks itself
  // subscribed: wait for both.
  REQUIRE(t.session->wait_until(
      [&] { return t.session->subscriptions().size() == 2 && t.ingest->probe().subscribed.load(); },
      5s));
  CHECK(t.ingest->probe().connected);

  // A lost connection is unready too, until the reconnect subscribes again.
  t.session->raise_connection_lost("");
  CHECK_FALSE(t.ingest->probe().subscribed);
  t.session->raise_connected();
  CHECK(t.ingest->probe().subscribed);
  CHECK(t.session->subscriptions().size() == 3);
}

TEST_CASE("messages reach the handler and are counted, and a throwing handler stops nothing",
          "[ingest][unit]") {
  IngestUnderTest t;
  t.ingest->start();
  REQUIRE(t.session->wait_until([&] { return t.ingest->probe().connected.load(); }, 5s));

  t.session->raise_message("plant/p1/telemetry", "{\"t\":1}");
  t.session->raise_message("plant/p1/telemetry", "throw");
  t.session->raise_message("plant/p2/telemetry", "{\"t\":2}");

  CHECK(t.received ==
        std::vector<std::string>{"plant/p1/telemetry {\"t\":1}", "plant/p2/telemetry {\"t\":2}"});
  CHECK(t.ingest->probe().messages == 3);
  CHECK(t.ingest->probe().bytes == 7 + 5 + 7);
  CHECK(t.ingest->probe().callback_errors == 1);
}

TEST_CASE("stop() disconnects a connected session once, however often it is called",
          "[ingest][unit]") {
  IngestUnderTest t;
  t.ingest->start();
  REQUIRE(t.session->wait_until([&] { return t.ingest->probe().connected.load(); }, 5s));
  t.ingest->stop();
  t.ingest->stop();
  CHECK(t.session->disconnect_calls() == 1);
  CHECK_FALSE(t.ingest->probe().connected);
}
