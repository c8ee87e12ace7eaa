#include "support/kafka_fixture.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "kafka/kafka_conf.hpp"

namespace edgegw::test {

KafkaFixture::KafkaFixture(int brokers, int partitions)
    : cluster_(brokers), partitions_(partitions) {
  for (const std::string& topic : kGatewayTopics) {
    cluster_.create_topic(topic, partitions, std::min(brokers, 3));
  }
}

KafkaReader::KafkaReader(const std::string& bootstrap, const std::string& topic,
                         Isolation isolation)
    : topic_(topic) {
  kafka::KafkaConf conf = kafka::make_conf(
      {{"bootstrap.servers", bootstrap},
       {"group.id", "edgegw-test-reader"},
       {"enable.auto.commit", "false"},
       {"isolation.level",
        isolation == Isolation::read_committed ? "read_committed" : "read_uncommitted"},
       {"log_level", "3"}});
  consumer_ = kafka::make_client(RD_KAFKA_CONSUMER, std::move(conf));
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(consumer_.get(), topic.c_str(), nullptr);
  const rd_kafka_resp_err_t err = rd_kafka_metadata(consumer_.get(), 0, rkt, &metadata, 10000);
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR || metadata->topic_cnt != 1) {
    throw std::runtime_error(fmt::format("no metadata for {}: {}", topic, rd_kafka_err2str(err)));
  }
  partitions_ = metadata->topics[0].partition_cnt;
  rd_kafka_metadata_destroy(metadata);
  kafka::KafkaPartitionList list(rd_kafka_topic_partition_list_new(partitions_));
  for (int p = 0; p < partitions_; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(consumer_.get(), list.get());
}

bool KafkaReader::poll_one(std::chrono::milliseconds timeout) {
  kafka::ConsumedMessage msg(
      rd_kafka_consumer_poll(consumer_.get(), static_cast<int>(timeout.count())));
  if (!msg || msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return false;
  }
  ConsumedRecord r;
  r.topic = topic_;
  r.partition = msg->partition;
  r.offset = msg->offset;
  r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
  r.value.assign(static_cast<const char*>(msg->payload), msg->len);
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(msg.get(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      r.headers[name] = std::string(static_cast<const char*>(value), size);
    }
  }
  records_.push_back(std::move(r));
  return true;
}

std::size_t KafkaReader::read_until(std::size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (records_.size() < count && std::chrono::steady_clock::now() < deadline) {
    poll_one(std::chrono::milliseconds(100));
  }
  return records_.size();
}

std::size_t KafkaReader::drain(std::chrono::milliseconds quiet) {
  auto last_seen = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - last_seen < quiet) {
    if (poll_one(std::chrono::milliseconds(100))) {
      last_seen = std::chrono::steady_clock::now();
    }
  }
  return records_.size();
}

int murmur2_partition(const std::string& key, int partitions) {
  constexpr std::uint32_t kSeed = 0x9747b28c;
  constexpr std::uint32_t kM = 0x5bd1e995;
  constexpr int kR = 24;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  const auto length = static_cast<std::uint32_t>(key.size());
  std::uint32_t h = kSeed ^ length;
  const std::uint32_t blocks = length / 4;
  for (std::uint32_t i = 0; i < blocks; ++i) {
    std::uint32_t k = data[i * 4] | (data[i * 4 + 1] << 8U) | (data[i * 4 + 2] << 16U) |
                      (static_cast<std::uint32_t>(data[i * 4 + 3]) << 24U);
    k *= kM;
    k ^= k >> kR;
    k *= kM;
    h *= kM;
    h ^= k;
  }
  const std::uint32_t tail = length & ~3U;
  switch (length % 4) {
    case 3:
      h ^= static_cast<std::uint32_t>(data[tail + 2]) << 16U;
      [[fallthrough]];
    case 2:
      h ^= static_cast<std::uint32_t>(data[tail + 1]) << 8U;
      [[fallthrough]];
    case 1:
      h ^= data[tail];
      h *= kM;
      break;
    default:
      break;
  }
  h ^= h >> 13U;
  h *= kM;
  h ^= h >> 15U;
  return static_cast<int>((h & 0x7fffffffU) % static_cast<std::uint32_t>(partitions));
}

}  // namespace edgegw::test
