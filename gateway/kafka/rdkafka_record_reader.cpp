#include "kafka/rdkafka_record_reader.hpp"

#include <fmt/format.h>

#include <map>
#include <vector>

#include "kafka/kafka_conf.hpp"

namespace edgegw::kafka {
namespace {

// The producer's properties a consumer also understands (connection, security) are
// passed on; librdkafka refuses producer-only ones on a consumer, so those are skipped.
KafkaConf reader_conf(const KafkaConfig& config) {
  KafkaConf conf = make_conf({{"bootstrap.servers", config.bootstrap_servers},
                              {"group.id", "edgegw-cursor-reader"},
                              {"enable.auto.commit", "false"},
                              {"enable.partition.eof", "true"},
                              {"isolation.level", "read_committed"},
                              {"auto.offset.reset", "earliest"}});
  for (const auto& [name, value] : config.properties) {
    const bool connection = name.starts_with("security.") || name.starts_with("ssl.") ||
                            name.starts_with("sasl.") || name.starts_with("socket.") ||
                            name.starts_with("broker.") || name == "client.dns.lookup";
    if (connection) {
      (void)try_set_property(conf.get(), name, value);
    }
  }
  return conf;
}

// Partition count of `topic`, 0 when the cluster does not have it, -1 on failure.
int partition_count(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout,
                    std::string& detail) {
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(rk, 0, rkt, &metadata, static_cast<int>(timeout.count()));
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    detail = fmt::format("no metadata for topic {}: {}", topic, rd_kafka_err2str(err));
    return -1;
  }
  int count = 0;
  if (metadata->topic_cnt == 1 && metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    count = metadata->topics[0].partition_cnt;
  }
  rd_kafka_metadata_destroy(metadata);
  return count;
}

}  // namespace

CommittedRecordReader::Outcome RdKafkaRecordReader::read_last(const std::string& topic,
                                                              const std::string& key,
                                                              std::chrono::milliseconds timeout) {
  Outcome outcome;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  KafkaHandle consumer = make_client(RD_KAFKA_CONSUMER, reader_conf(config_));
  const int partitions = partition_count(consumer.get(), topic, timeout, outcome.detail);
  if (partitions <= 0) {
    // A topic that does not exist holds no cursor: the first start in this mode.
    outcome.complete = partitions == 0;
    return outcome;
  }
  KafkaPartitionList list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(consumer.get(), list.get());
  // The key hashes to one partition, but which one depends on the partitioner of the
  // producer that wrote it: every partition is read, and the cursor records are few.
  std::vector<bool> at_end(static_cast<std::size_t>(partitions), false);
  int ended = 0;
  while (ended < partitions) {
    if (std::chrono::steady_clock::now() >= deadline) {
      outcome.detail = fmt::format("{} of {} partitions of {} not read to their end in time",
                                   partitions - ended, partitions, topic);
      return outcome;
    }
    ConsumedMessage msg(rd_kafka_consumer_poll(consumer.get(), 100));
    if (!msg) {
      continue;
    }
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      const auto partition = static_cast<std::size_t>(msg->partition);
      if (!at_end.at(partition)) {
        at_end.at(partition) = true;
        ++ended;
      }
      continue;
    }
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      outcome.detail = rd_kafka_message_errstr(msg.get());
      continue;  // transient (a broker restarting): the deadline bounds it
    }
    const std::string_view record_key(static_cast<const char*>(msg->key), msg->key_len);
    if (record_key == key) {
      // Offsets grow within a partition and one key stays on one partition: the last
      // record read with the key is the newest.
      outcome.found = true;
      outcome.value.assign(static_cast<const char*>(msg->payload), msg->len);
    }
  }
  rd_kafka_consumer_close(consumer.get());
  outcome.complete = true;
  return outcome;
}

}  // namespace edgegw::kafka
