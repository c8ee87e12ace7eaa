// Topic management's decisions against a fake cluster: what is created, what is only
// reported, what could not be verified.

#include <catch2/catch.hpp>

#include "fake_topic_admin.hpp"
#include "kafka/topic_plan.hpp"
#include "kafka/topic_plan_text.hpp"

using edgegw::KafkaConfig;
using edgegw::Stream;
using edgegw::TopicSettings;
using edgegw::kafka::TopicPlan;
using edgegw::kafka::TopicPlanEntry;
using edgegw::kafka::TopicState;
using edgegw::kafka::TopicStatus;
using edgegw::test::FakeTopicAdmin;

namespace {

const TopicPlanEntry& entry_of(const TopicPlan& plan, Stream stream) {
  for (const TopicPlanEntry& entry : plan.entries) {
    if (entry.stream == stream) {
      return entry;
    }
  }
  FAIL("no entry for the stream");
  throw;
}

KafkaConfig declared_telemetry() {
  KafkaConfig kafka;
  kafka.topics[Stream::telemetry] = "plant.telemetry";
  TopicSettings settings;
  settings.partitions = 12;
  settings.replication_factor = 3;
  settings.retention_ms = 604800000;
  settings.cleanup_policy = "compact,delete";
  kafka.topic_settings[Stream::telemetry] = settings;
  return kafka;
}

// Every default topic exists, as in a cluster that has run the gateway for a while.
void add_default_topics(FakeTopicAdmin& admin) {
  for (const auto& [stream, name] : KafkaConfig{}.topics) {
    admin.topics[name] = TopicState{6, 3, {}, ""};
  }
}

}  // namespace

TEST_CASE("A missing topic that declares partitions is created, once", "[unit][topics]") {
  const KafkaConfig kafka = declared_telemetry();
  FakeTopicAdmin admin;
  add_default_topics(admin);
  TopicPlan plan = plan_topics(kafka, admin);
  const TopicPlanEntry& telemetry = entry_of(plan, Stream::telemetry);
  CHECK(telemetry.status == TopicStatus::to_create);
  CHECK(plan.missing() == 1);
  CHECK(plan.to_create() == 1);

  create_missing(plan, admin);
  CHECK(entry_of(plan, Stream::telemetry).status == TopicStatus::created);
  REQUIRE(admin.creations.size() == 1);
  REQUIRE(admin.creations[0].size() == 1);
  const edgegw::kafka::NewTopic& asked = admin.creations[0][0];
  CHECK(asked.name == "plant.telemetry");
  CHECK(asked.partitions == 12);
  CHECK(asked.replication_factor == 3);
  CHECK(asked.configs == std::map<std::string, std::string>{{"retention.ms", "604800000"},
                                                            {"cleanup.policy", "compact,delete"}});
  CHECK_FALSE(plan.has_problems());

  // A second round finds it as declared: nothing to do.
  TopicPlan again = plan_topics(kafka, admin);
  CHECK(entry_of(again, Stream::telemetry).status == TopicStatus::matches);
  CHECK_FALSE(again.has_problems());
  create_missing(again, admin);
  CHECK(admin.creations.size() == 1);
}

TEST_CASE("A missing topic without declared partitions is reported, not created",
          "[unit][topics]") {
  KafkaConfig kafka;  // the short form only: an existing deployment
  FakeTopicAdmin admin;
  TopicPlan plan = plan_topics(kafka, admin);
  CHECK(plan.missing() == static_cast<int>(kafka.topics.size()));
  CHECK(plan.to_create() == 0);
  create_missing(plan, admin);
  CHECK(admin.creations.empty());
  CHECK(entry_of(plan, Stream::alerts).status == TopicStatus::missing);
}

TEST_CASE("An existing topic with other settings is reported, never changed", "[unit][topics]") {
  const KafkaConfig kafka = declared_telemetry();
  FakeTopicAdmin admin;
  add_default_topics(admin);
  admin.topics["plant.telemetry"] =
      TopicState{6, 3, {{"retention.ms", "86400000"}, {"cleanup.policy", "delete,compact"}}, ""};
  TopicPlan plan = plan_topics(kafka, admin);
  const TopicPlanEntry& telemetry = entry_of(plan, Stream::telemetry);
  CHECK(telemetry.status == TopicStatus::differs);
  // The same policy in another order is no difference.
  REQUIRE(telemetry.differences.size() == 2);
  CHECK(telemetry.differences[0].setting == "partitions");
  CHECK(telemetry.differences[0].declared == "12");
  CHECK(telemetry.differences[0].actual == "6");
  CHECK(telemetry.differences[1].setting == "retention.ms");
  CHECK(plan.differing() == 1);
  create_missing(plan, admin);
  CHECK(admin.creations.empty());
  CHECK(plan_lines(plan)[0] ==
        "telemetry: plant.telemetry: differs: partitions declared 12, cluster 6; retention.ms "
        "declared 604800000, cluster 86400000 (not changed)");
}

TEST_CASE("Configs the cluster cannot tell stay unverified, not different", "[unit][topics]") {
  const KafkaConfig kafka = declared_telemetry();
  FakeTopicAdmin admin;
  add_default_topics(admin);
  admin.topics["plant.telemetry"] = TopicState{12, 3, {}, "DescribeConfigs not supported"};
  const TopicPlan plan = plan_topics(kafka, admin);
  const TopicPlanEntry& telemetry = entry_of(plan, Stream::telemetry);
  CHECK(telemetry.status == TopicStatus::matches);
  CHECK(telemetry.unverified == std::vector<std::string>{"cleanup.policy", "retention.ms"});
  CHECK(plan_lines(plan)[0] ==
        "telemetry: plant.telemetry: ok [not verified: cleanup.policy, retention.ms "
        "(DescribeConfigs not supported)]");
}

TEST_CASE("A refused creation leaves the topic missing, with the reason", "[unit][topics]") {
  const KafkaConfig kafka = declared_telemetry();
  FakeTopicAdmin admin;
  add_default_topics(admin);
  admin.refusals["plant.telemetry"] = "Replication factor: 3 larger than available brokers: 1.";
  TopicPlan plan = plan_topics(kafka, admin);
  create_missing(plan, admin);
  const TopicPlanEntry& telemetry = entry_of(plan, Stream::telemetry);
  CHECK(telemetry.status == TopicStatus::failed);
  CHECK(plan.missing() == 1);
  CHECK(plan_lines(plan)[0] ==
        "telemetry: plant.telemetry: missing: creating it failed: Replication factor: 3 larger "
        "than available brokers: 1.");
}

TEST_CASE("A creation request the cluster cannot take fails each topic", "[unit][topics]") {
  const KafkaConfig kafka = declared_telemetry();
  FakeTopicAdmin admin;
  add_default_topics(admin);
  TopicPlan plan = plan_topics(kafka, admin);
  admin.unreachable = true;
  create_missing(plan, admin);
  const TopicPlanEntry& telemetry = entry_of(plan, Stream::telemetry);
  CHECK(telemetry.status == TopicStatus::failed);
  CHECK_THAT(telemetry.failure, Catch::Contains("no metadata within 1.0 s"));
}

TEST_CASE("Two streams on one topic create it once", "[unit][topics]") {
  KafkaConfig kafka = declared_telemetry();
  kafka.topics[Stream::aggregates] = "plant.telemetry";
  kafka.topic_settings[Stream::aggregates] = kafka.topic_settings[Stream::telemetry];
  FakeTopicAdmin admin;
  add_default_topics(admin);
  TopicPlan plan = plan_topics(kafka, admin);
  create_missing(plan, admin);
  REQUIRE(admin.creations.size() == 1);
  CHECK(admin.creations[0].size() == 1);
  CHECK(entry_of(plan, Stream::aggregates).status == TopicStatus::created);
}

TEST_CASE("An unreachable cluster is an error, not an empty cluster", "[unit][topics]") {
  FakeTopicAdmin admin;
  admin.unreachable = true;
  CHECK_THROWS_AS(plan_topics(declared_telemetry(), admin), edgegw::kafka::TopicAdminError);
}

TEST_CASE("The offline plan says what would be created, with what", "[unit][topics]") {
  const KafkaConfig kafka = declared_telemetry();
  const std::vector<std::string> lines = edgegw::kafka::declared_lines(
      edgegw::kafka::declared_topics(kafka), edgegw::TopicManagement::create);
  CHECK(lines[0] ==
        "telemetry: plant.telemetry: created at start if missing, with partitions=12 "
        "replication.factor=3 cleanup.policy=compact,delete retention.ms=604800000");
  CHECK(lines[1] == "aggregates: edgegw.aggregates: never created (no partitions declared)");
}
