// The daemon's topic management: in the background, retried while the cluster is
// unreachable, its outcome in the probe.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "fake_topic_admin.hpp"
#include "kafka/topic_manager.hpp"

using edgegw::KafkaConfig;
using edgegw::Stream;
using edgegw::kafka::TopicAdmin;
using edgegw::kafka::TopicManager;
using edgegw::test::FakeTopicAdmin;
using namespace std::chrono_literals;

namespace {

// Shares one fake between the manager's rounds; unreachable for the first `failures`.
struct SharedCluster {
  FakeTopicAdmin admin;
  std::atomic<int> failures{0};
  std::atomic<int> rounds{0};
};

class RoundAdmin final : public TopicAdmin {
 public:
  explicit RoundAdmin(SharedCluster& cluster) : cluster_(cluster) {}
  std::map<std::string, edgegw::kafka::TopicState> describe(
      const std::vector<std::string>& names) override {
    cluster_.admin.unreachable = cluster_.rounds++ < cluster_.failures;
    return cluster_.admin.describe(names);
  }
  std::map<std::string, std::string> create(
      const std::vector<edgegw::kafka::NewTopic>& topics) override {
    return cluster_.admin.create(topics);
  }

 private:
  SharedCluster& cluster_;
};

KafkaConfig declared(edgegw::TopicManagement mode) {
  KafkaConfig kafka;
  kafka.manage_topics = mode;
  edgegw::TopicSettings settings;
  settings.partitions = 4;
  kafka.topic_settings[Stream::telemetry] = settings;
  return kafka;
}

template <typename Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace

TEST_CASE("Topic management retries an unreachable cluster, then creates", "[unit][topics]") {
  SharedCluster cluster;
  cluster.failures = 2;
  TopicManager manager(
      declared(edgegw::TopicManagement::create),
      [&cluster] { return std::make_unique<RoundAdmin>(cluster); }, 10ms);
  manager.start();
  REQUIRE(eventually([&] { return manager.probe().created.load() == 1; }));
  manager.stop();
  CHECK(manager.probe().check_errors.load() == 2);
  CHECK(cluster.rounds.load() == 3);  // none after the one that completed
  CHECK(cluster.admin.topics.at("edgegw.telemetry").partitions == 4);
  // The other streams declare no partitions: missing, and left alone.
  CHECK(manager.probe().missing.load() == 4);
}

TEST_CASE("Topic management in check mode creates nothing", "[unit][topics]") {
  SharedCluster cluster;
  TopicManager manager(
      declared(edgegw::TopicManagement::check),
      [&cluster] { return std::make_unique<RoundAdmin>(cluster); }, 10ms);
  manager.start();
  REQUIRE(eventually([&] { return cluster.rounds.load() == 1; }));
  manager.stop();
  CHECK(cluster.admin.creations.empty());
  CHECK(manager.probe().missing.load() == 5);
}

TEST_CASE("Stopping topic management ends its retries at once", "[unit][topics]") {
  SharedCluster cluster;
  cluster.failures = 1000;
  TopicManager manager(
      declared(edgegw::TopicManagement::create),
      [&cluster] { return std::make_unique<RoundAdmin>(cluster); }, 1h);
  manager.start();
  REQUIRE(eventually([&] { return manager.probe().check_errors.load() == 1; }));
  const auto before = std::chrono::steady_clock::now();
  manager.stop();
  CHECK(std::chrono::steady_clock::now() - before < 1s);
}
