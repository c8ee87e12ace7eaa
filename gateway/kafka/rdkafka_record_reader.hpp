#pragma once
// CommittedRecordReader on a librdkafka consumer: no consumer group (nothing is
// committed anywhere), isolation.level=read_committed, every partition of the topic from
// its beginning to its end as it is when the read starts.

#include "edgegw/config.hpp"
#include "edgegw/kafka_transactions.hpp"

namespace edgegw::kafka {

class RdKafkaRecordReader final : public CommittedRecordReader {
 public:
  // Connection and security settings come from the producer's properties (those a
  // consumer knows too), so the reader reaches the cluster the way the producer does.
  explicit RdKafkaRecordReader(const KafkaConfig& config) : config_(config) {}

  Outcome read_last(const std::string& topic, const std::string& key,
                    std::chrono::milliseconds timeout) override;

 private:
  KafkaConfig config_;
};

}  // namespace edgegw::kafka
