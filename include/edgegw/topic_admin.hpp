#pragma once
// Topic management's view of a Kafka cluster: what the named topics are like, and
// creating new ones. The librdkafka implementation lives in
// gateway/kafka/rdkafka_topic_admin.*; unit tests drive the planning logic
// (gateway/kafka/topic_plan.hpp) through a small fake.
//
// Control path only: every call is bounded by the admin timeout it was built with and
// throws TopicAdminError when the cluster does not answer in time.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgegw::kafka {

// The cluster could not be asked (unreachable, timed out, refused the request as a whole).
class TopicAdminError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A topic as the cluster reports it.
struct TopicState {
  int partitions = 0;
  int replication_factor = 0;  // the fewest replicas of any of its partitions
  // Its configuration (`retention.ms`, `cleanup.policy`, ...), when the cluster told it;
  // otherwise empty, and `configs_unknown_because` says why.
  std::map<std::string, std::string> configs;
  std::string configs_unknown_because;
};

// A topic to create.
struct NewTopic {
  std::string name;
  int partitions = 1;
  int replication_factor = -1;                 // -1: the broker's default
  std::map<std::string, std::string> configs;  // Kafka's names and values

  bool operator==(const NewTopic&) const = default;
};

class TopicAdmin {
 public:
  TopicAdmin() = default;
  TopicAdmin(const TopicAdmin&) = delete;
  TopicAdmin& operator=(const TopicAdmin&) = delete;
  virtual ~TopicAdmin() = default;

  // The named topics that exist, by name; a name missing from the answer has no topic.
  virtual std::map<std::string, TopicState> describe(const std::vector<std::string>& names) = 0;
  // Creates the topics; the answer holds the cluster's reason for each it refused (a
  // topic that exists by then is not refused).
  virtual std::map<std::string, std::string> create(const std::vector<NewTopic>& topics) = 0;
};

}  // namespace edgegw::kafka
