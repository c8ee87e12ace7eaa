#include "kafka/mock_cluster.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka_mock.h>

#include <stdexcept>

#include "kafka/kafka_conf.hpp"

namespace edgegw::kafka {
namespace {

void check(rd_kafka_resp_err_t err, const std::string& what) {
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error(fmt::format("mock Kafka: {}: {}", what, rd_kafka_err2str(err)));
  }
}

}  // namespace

MockCluster::MockCluster(int brokers) : brokers_(brokers) {
  if (brokers < 1) {
    throw std::invalid_argument("mock Kafka: at least one broker is needed");
  }
  // The handle only hosts the cluster; it never connects anywhere itself.
  KafkaConf conf = make_conf({{"client.id", "edgegw-mock-kafka"}, {"log_level", "3"}});
  handle_ = make_client(RD_KAFKA_PRODUCER, std::move(conf));
  cluster_ = rd_kafka_mock_cluster_new(handle_.get(), brokers);
  if (cluster_ == nullptr) {
    throw std::runtime_error("mock Kafka: could not start the cluster (no free port?)");
  }
}

MockCluster::~MockCluster() {
  if (cluster_ != nullptr) {
    rd_kafka_mock_cluster_destroy(cluster_);
  }
}

std::string MockCluster::bootstrap_servers() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

void MockCluster::create_topic(const std::string& name, int partitions, int replication_factor) {
  check(rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, replication_factor),
        fmt::format("create topic {}", name));
}

void MockCluster::set_broker_down(int broker_id) {
  check(rd_kafka_mock_broker_set_down(cluster_, broker_id), "set broker down");
}

void MockCluster::set_broker_up(int broker_id) {
  check(rd_kafka_mock_broker_set_up(cluster_, broker_id), "set broker up");
}

void MockCluster::set_all_brokers_down() {
  for (int id = 1; id <= brokers_; ++id) {
    set_broker_down(id);
  }
}

void MockCluster::set_all_brokers_up() {
  for (int id = 1; id <= brokers_; ++id) {
    set_broker_up(id);
  }
}

void MockCluster::set_broker_rtt_ms(int broker_id, int rtt_ms) {
  check(rd_kafka_mock_broker_set_rtt(cluster_, broker_id, rtt_ms), "set broker rtt");
}

}  // namespace edgegw::kafka
