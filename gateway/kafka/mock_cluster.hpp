#pragma once
// librdkafka's mock Kafka cluster: real Kafka protocol over loopback TCP, several
// brokers, with brokers that can be taken down and brought back. The demo's embedded
// Kafka (`edgegw mock-kafka`) and the integration tests both use it; production points
// at a real cluster.
//
// Owns its own rd_kafka_t (the cluster runs on librdkafka's threads); not copyable.

#include <string>

#include "kafka/kafka_handles.hpp"

struct rd_kafka_mock_cluster_s;

namespace edgegw::kafka {

class MockCluster {
 public:
  explicit MockCluster(int brokers);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // Comma-separated host:port list on 127.0.0.1.
  [[nodiscard]] std::string bootstrap_servers() const;
  [[nodiscard]] int broker_count() const { return brokers_; }

  void create_topic(const std::string& name, int partitions, int replication_factor);
  void set_broker_down(int broker_id);  // ids are 1..broker_count()
  void set_broker_up(int broker_id);
  void set_all_brokers_down();
  void set_all_brokers_up();
  void set_broker_rtt_ms(int broker_id, int rtt_ms);

 private:
  int brokers_;
  KafkaHandle handle_;
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
};

}  // namespace edgegw::kafka
