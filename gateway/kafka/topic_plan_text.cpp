#include "kafka/topic_plan_text.hpp"

#include <fmt/format.h>

namespace edgegw::kafka {
namespace {

std::string differences_text(const std::vector<SettingDifference>& differences) {
  std::vector<std::string> parts;
  for (const SettingDifference& difference : differences) {
    parts.push_back(fmt::format("{} declared {}, cluster {}", difference.setting,
                                difference.declared, difference.actual));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string status_text(const TopicPlanEntry& entry) {
  switch (entry.status) {
    case TopicStatus::matches:
      return "ok";
    case TopicStatus::differs:
      return fmt::format("differs: {} (not changed)", differences_text(entry.differences));
    case TopicStatus::to_create:
      return fmt::format("missing: to create with {}", creation_text(entry.topic));
    case TopicStatus::missing:
      return "missing: not created, it declares no partitions (left to the broker)";
    case TopicStatus::created:
      return fmt::format("created with {}", creation_text(entry.topic));
    case TopicStatus::failed:
      return fmt::format("missing: creating it failed: {}", entry.failure);
  }
  return "";
}

std::string unverified_text(const TopicPlanEntry& entry) {
  if (entry.unverified.empty()) {
    return "";
  }
  return fmt::format(" [not verified: {} ({})]", fmt::join(entry.unverified, ", "),
                     entry.unverified_because);
}

}  // namespace

std::string creation_text(const NewTopic& topic) {
  std::string text = fmt::format("partitions={}", topic.partitions);
  text += topic.replication_factor > 0
              ? fmt::format(" replication.factor={}", topic.replication_factor)
              : " replication.factor=(broker default)";
  for (const auto& [name, value] : topic.configs) {
    text += fmt::format(" {}={}", name, value);
  }
  return text;
}

std::vector<std::string> plan_lines(const TopicPlan& plan) {
  std::vector<std::string> lines;
  for (const TopicPlanEntry& entry : plan.entries) {
    lines.push_back(fmt::format("{}: {}: {}{}", stream_name(entry.stream), entry.topic.name,
                                status_text(entry), unverified_text(entry)));
  }
  return lines;
}

std::vector<std::string> declared_lines(const TopicPlan& plan, TopicManagement mode) {
  std::vector<std::string> lines;
  for (const TopicPlanEntry& entry : plan.entries) {
    std::string what;
    if (!entry.declares_partitions) {
      what = "never created (no partitions declared)";
    } else if (mode == TopicManagement::create) {
      what = fmt::format("created at start if missing, with {}", creation_text(entry.topic));
    } else {
      what = fmt::format("created by `edgegw topics --apply` if missing, with {}",
                         creation_text(entry.topic));
    }
    lines.push_back(fmt::format("{}: {}: {}", stream_name(entry.stream), entry.topic.name, what));
  }
  return lines;
}

}  // namespace edgegw::kafka
