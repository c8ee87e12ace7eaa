#pragma once
// TopicAdmin over librdkafka: partitions and replication from the cluster's metadata,
// topic configs through DescribeConfigs, creation through CreateTopics. Each request
// is bounded by kafka.admin_timeout, so that an unreachable cluster is reported (a
// TopicAdminError) rather than waited for.
//
// librdkafka's mock cluster (librdkafka 2.0.2, Debian 12) answers metadata but neither
// DescribeConfigs nor CreateTopics: against it the configs stay unverified and a
// creation fails with the broker's "not supported" (docs/operations.md).

#include <chrono>

#include "edgegw/config.hpp"
#include "edgegw/topic_admin.hpp"
#include "kafka/kafka_handles.hpp"

namespace edgegw::kafka {

class RdKafkaTopicAdmin final : public TopicAdmin {
 public:
  // Connects with kafka.properties (TLS, SASL) to kafka.bootstrap_servers; throws
  // ConfigError when librdkafka refuses them.
  explicit RdKafkaTopicAdmin(const KafkaConfig& kafka);

  std::map<std::string, TopicState> describe(const std::vector<std::string>& names) override;
  std::map<std::string, std::string> create(const std::vector<NewTopic>& topics) override;

 private:
  // Where admin requests go: the controller, or any broker when the metadata names no
  // controller among its brokers (the mock cluster names broker 0, which it lacks).
  [[nodiscard]] int admin_broker() const;
  void read_configs(std::map<std::string, TopicState>& topics);

  std::string bootstrap_servers_;
  std::chrono::milliseconds timeout_;
  KafkaHandle client_;
  std::vector<int> broker_ids_;  // from the latest metadata
  int controller_id_ = -1;
};

}  // namespace edgegw::kafka
