#include "kafka/topic_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace edgegw::kafka {
namespace {

// The declared settings that are topic configs, under Kafka's names.
std::map<std::string, std::string> declared_configs(const TopicSettings& settings) {
  std::map<std::string, std::string> configs;
  if (settings.retention_ms) {
    configs["retention.ms"] = std::to_string(*settings.retention_ms);
  }
  if (settings.retention_bytes) {
    configs["retention.bytes"] = std::to_string(*settings.retention_bytes);
  }
  if (settings.compression) {
    configs["compression.type"] = *settings.compression;
  }
  if (settings.cleanup_policy) {
    configs["cleanup.policy"] = *settings.cleanup_policy;
  }
  return configs;
}

// `compact,delete` and `delete,compact` are one policy.
std::string normalized(const std::string& name, const std::string& value) {
  if (name != "cleanup.policy") {
    return value;
  }
  std::vector<std::string> parts;
  for (std::size_t start = 0; start <= value.size();) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    parts.push_back(value.substr(start, comma - start));
    start = comma + 1;
  }
  std::sort(parts.begin(), parts.end());
  return fmt::format("{}", fmt::join(parts, ","));
}

TopicPlanEntry declared_entry(const KafkaConfig& kafka, Stream stream) {
  TopicPlanEntry entry;
  entry.stream = stream;
  entry.topic.name = kafka.topics.at(stream);
  if (const auto found = kafka.topic_settings.find(stream); found != kafka.topic_settings.end()) {
    const TopicSettings& settings = found->second;
    entry.declares_partitions = settings.partitions.has_value();
    entry.topic.partitions = settings.partitions.value_or(1);
    entry.topic.replication_factor = settings.replication_factor.value_or(-1);
    entry.topic.configs = declared_configs(settings);
  }
  entry.status = entry.declares_partitions ? TopicStatus::to_create : TopicStatus::missing;
  return entry;
}

void compare_count(TopicPlanEntry& entry, const std::string& setting,
                   const std::optional<int>& declared, int actual) {
  if (declared && *declared != actual) {
    entry.differences.push_back({setting, std::to_string(*declared), std::to_string(actual)});
  }
}

void compare_configs(TopicPlanEntry& entry, const TopicState& state) {
  for (const auto& [name, declared] : entry.topic.configs) {
    const auto actual = state.configs.find(name);
    if (actual == state.configs.end()) {
      entry.unverified.push_back(name);
      entry.unverified_because = state.configs.empty() && !state.configs_unknown_because.empty()
                                     ? state.configs_unknown_because
                                     : "the cluster did not report it";
    } else if (normalized(name, declared) != normalized(name, actual->second)) {
      entry.differences.push_back({name, declared, actual->second});
    }
  }
}

void compare(TopicPlanEntry& entry, const KafkaConfig& kafka, const TopicState& state) {
  const auto found = kafka.topic_settings.find(entry.stream);
  if (found != kafka.topic_settings.end()) {
    compare_count(entry, "partitions", found->second.partitions, state.partitions);
    compare_count(entry, "replication.factor", found->second.replication_factor,
                  state.replication_factor);
  }
  compare_configs(entry, state);
  entry.status = entry.differences.empty() ? TopicStatus::matches : TopicStatus::differs;
}

}  // namespace

int TopicPlan::missing() const {
  return static_cast<int>(std::count_if(entries.begin(), entries.end(), [](const auto& e) {
    return e.status == TopicStatus::to_create || e.status == TopicStatus::missing ||
           e.status == TopicStatus::failed;
  }));
}

int TopicPlan::differing() const {
  return static_cast<int>(std::count_if(entries.begin(), entries.end(), [](const auto& e) {
    return e.status == TopicStatus::differs;
  }));
}

int TopicPlan::to_create() const {
  return static_cast<int>(std::count_if(entries.begin(), entries.end(), [](const auto& e) {
    return e.status == TopicStatus::to_create;
  }));
}

TopicPlan declared_topics(const KafkaConfig& kafka) {
  TopicPlan plan;
  for (const auto& [stream, name] : kafka.topics) {
    plan.entries.push_back(declared_entry(kafka, stream));
  }
  return plan;
}

TopicPlan plan_topics(const KafkaConfig& kafka, TopicAdmin& admin) {
  TopicPlan plan = declared_topics(kafka);
  std::vector<std::string> names;
  for (const TopicPlanEntry& entry : plan.entries) {
    names.push_back(entry.topic.name);
  }
  const std::map<std::string, TopicState> cluster = admin.describe(names);
  for (TopicPlanEntry& entry : plan.entries) {
    if (const auto state = cluster.find(entry.topic.name); state != cluster.end()) {
      compare(entry, kafka, state->second);
    }
  }
  return plan;
}

void create_missing(TopicPlan& plan, TopicAdmin& admin) {
  std::vector<NewTopic> topics;
  std::set<std::string> names;  // two streams may share a topic
  for (const TopicPlanEntry& entry : plan.entries) {
    if (entry.status == TopicStatus::to_create && names.insert(entry.topic.name).second) {
      topics.push_back(entry.topic);
    }
  }
  if (topics.empty()) {
    return;
  }
  std::map<std::string, std::string> refused;
  try {
    refused = admin.create(topics);
  } catch (const TopicAdminError& e) {
    // The request as a whole (a cluster without CreateTopics, a timeout): each topic's
    // line says so, as for a refusal of that topic alone.
    for (const NewTopic& topic : topics) {
      refused[topic.name] = e.what();
    }
  }
  for (TopicPlanEntry& entry : plan.entries) {
    if (entry.status != TopicStatus::to_create) {
      continue;
    }
    if (const auto reason = refused.find(entry.topic.name); reason != refused.end()) {
      entry.status = TopicStatus::failed;
      entry.failure = reason->second;
    } else {
      entry.status = TopicStatus::created;
    }
  }
}

}  // namespace edgegw::kafka
