#pragma once
// Kafka for a test: librdkafka's mock cluster (real protocol, loopback TCP, several
// brokers) with the gateway's topics created, and a real consumer to read back what
// arrived. Everything stops when the objects go out of scope.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kafka/kafka_handles.hpp"
#include "kafka/mock_cluster.hpp"

namespace edgegw::test {

inline const std::vector<std::string> kGatewayTopics = {"edgegw.telemetry", "edgegw.aggregates",
                                                        "edgegw.alerts", "edgegw.predictions",
                                                        "edgegw.dead-letter"};

class KafkaFixture {
 public:
  explicit KafkaFixture(int brokers = 3, int partitions = 6);
  [[nodiscard]] std::string bootstrap() const { return cluster_.bootstrap_servers(); }
  [[nodiscard]] int partitions() const { return partitions_; }
  kafka::MockCluster& cluster() { return cluster_; }

 private:
  kafka::MockCluster cluster_;
  int partitions_;
};

struct ConsumedRecord {
  std::string topic;
  int partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;
  std::map<std::string, std::string> headers;
};

// How a KafkaReader reads transactional records (kafka.delivery: exactly_once).
enum class Isolation { read_uncommitted, read_committed };

// A real librdkafka consumer reading every partition of one topic from the beginning
// (no consumer group, so nothing is committed anywhere).
class KafkaReader {
 public:
  KafkaReader(const std::string& bootstrap, const std::string& topic,
              Isolation isolation = Isolation::read_uncommitted);

  // Reads until `count` records in total have arrived or `timeout` passes; returns the
  // total so far.
  std::size_t read_until(std::size_t count, std::chrono::milliseconds timeout);
  // Reads until nothing new arrives for `quiet` (to catch late duplicates).
  std::size_t drain(std::chrono::milliseconds quiet);
  [[nodiscard]] const std::vector<ConsumedRecord>& records() const { return records_; }
  [[nodiscard]] int partition_count() const { return partitions_; }

 private:
  bool poll_one(std::chrono::milliseconds timeout);

  std::string topic_;
  kafka::KafkaHandle consumer_;
  int partitions_ = 0;
  std::vector<ConsumedRecord> records_;
};

// Kafka's murmur2 partitioner, as the Java client computes it (the gateway must agree).
int murmur2_partition(const std::string& key, int partitions);

}  // namespace edgegw::test
