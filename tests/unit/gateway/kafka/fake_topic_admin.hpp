#pragma once
// A cluster for topic management's unit tests: topics in a map, creation into it,
// and an "unreachable" switch.

#include <map>
#include <string>
#include <vector>

#include "edgegw/topic_admin.hpp"

namespace edgegw::test {

class FakeTopicAdmin final : public kafka::TopicAdmin {
 public:
  std::map<std::string, kafka::TopicState> topics;
  std::map<std::string, std::string> refusals;  // name → reason a creation is refused
  bool unreachable = false;
  std::vector<std::vector<kafka::NewTopic>> creations;  // each create() call

  std::map<std::string, kafka::TopicState> describe(
      const std::vector<std::string>& names) override {
    fail_if_unreachable();
    std::map<std::string, kafka::TopicState> found;
    for (const std::string& name : names) {
      if (const auto topic = topics.find(name); topic != topics.end()) {
        found.insert(*topic);
      }
    }
    return found;
  }

  std::map<std::string, std::string> create(const std::vector<kafka::NewTopic>& asked) override {
    fail_if_unreachable();
    creations.push_back(asked);
    std::map<std::string, std::string> refused;
    for (const kafka::NewTopic& topic : asked) {
      if (const auto reason = refusals.find(topic.name); reason != refusals.end()) {
        refused.insert(*reason);
      } else {
        topics[topic.name] = {topic.partitions, std::max(topic.replication_factor, 1),
                              topic.configs, ""};
      }
    }
    return refused;
  }

 private:
  void fail_if_unreachable() const {
    if (unreachable) {
      throw kafka::TopicAdminError("no metadata within 1.0 s: Local: Broker transport failure");
    }
  }
};

}  // namespace edgegw::test
