#pragma once
// Topic management's decisions: the declared topics of a config (kafka.topics) against
// what the cluster has. Pure functions over the config and a TopicAdmin's answers, so
// that unit tests cover them with a fake cluster; `edgegw topics`, `check-config` and
// the daemon's start (topic_manager.hpp) print or log the same plan.
//
// A topic the cluster lacks is created only when its stream declares partitions (an
// existing deployment that names its topics only keeps its broker's auto-creation), and
// an existing topic is never altered: a difference is reported, for a person to decide
// (more partitions would move devices to other partitions and break their order).

#include <string>
#include <vector>

#include "edgegw/config.hpp"
#include "edgegw/stream.hpp"
#include "edgegw/topic_admin.hpp"

namespace edgegw::kafka {

enum class TopicStatus {
  matches,    // exists, with every declared setting the cluster told
  differs,    // exists, with a declared setting of another value
  to_create,  // missing, declares its partitions: topic management creates it
  missing,    // missing, declares no partitions: left to the broker's auto-creation
  created,    // missing, and has just been created
  failed,     // missing, and the cluster refused to create it
};

struct SettingDifference {
  std::string setting;  // Kafka's name: partitions, replication.factor, retention.ms, ...
  std::string declared;
  std::string actual;
};

struct TopicPlanEntry {
  Stream stream = Stream::telemetry;
  NewTopic topic;  // the name, and what a creation would ask for
  bool declares_partitions = false;
  TopicStatus status = TopicStatus::matches;
  std::vector<SettingDifference> differences;  // when it differs
  // Declared settings the cluster did not report, and why (e.g. a cluster without
  // DescribeConfigs): neither a match nor a difference.
  std::vector<std::string> unverified;
  std::string unverified_because;
  std::string failure;  // when creating it failed: the cluster's reason
};

struct TopicPlan {
  std::vector<TopicPlanEntry> entries;  // one per stream, in stream order

  // Topics missing (whatever the reason) or differing: what `topics --check` fails on.
  [[nodiscard]] int missing() const;
  [[nodiscard]] int differing() const;
  [[nodiscard]] bool has_problems() const { return missing() + differing() > 0; }
  [[nodiscard]] int to_create() const;
};

// What a creation would ask for, per stream, from the config alone.
TopicPlan declared_topics(const KafkaConfig& kafka);
// The declared topics against the cluster's.
TopicPlan plan_topics(const KafkaConfig& kafka, TopicAdmin& admin);
// Creates the `to_create` entries of `plan` (once per topic name), marking each created
// or failed (with the cluster's reason, or why the request as a whole failed).
void create_missing(TopicPlan& plan, TopicAdmin& admin);

}  // namespace edgegw::kafka
