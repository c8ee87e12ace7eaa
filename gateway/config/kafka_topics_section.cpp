#include "config/kafka_topics_section.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "config/option_table.hpp"

namespace edgegw::config {
namespace {

// One stream's entry in its map form, read by its own table.
struct DeclaredTopic {
  std::string name;
  TopicSettings settings;
};

// Kafka keeps partition counts and replication factors in 32 and 16 bits.
constexpr std::int64_t kMaxPartitions = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxReplicationFactor = std::numeric_limits<std::int16_t>::max();

int read_count(const ConfigNode& node, std::int64_t max) {
  const std::int64_t value = node.as<std::int64_t>();
  if (value < 1 || value > max) {
    node.fail(fmt::format("must be between 1 and {}, got {}", max, value));
  }
  return static_cast<int>(value);
}

// `none` is Kafka's -1: no limit.
std::int64_t read_retention_ms(const ConfigNode& node) {
  if (node.as<std::string>() == "none") {
    return -1;
  }
  const std::chrono::milliseconds ms = node.as_duration();
  if (ms.count() == 0) {
    node.fail("must be a duration above 0, or none");
  }
  return ms.count();
}

std::int64_t read_retention_bytes(const ConfigNode& node) {
  if (node.as<std::string>() == "none") {
    return -1;
  }
  const std::uint64_t bytes = node.as_bytes();
  if (bytes == 0 || bytes > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    node.fail("must be a size above 0, or none");
  }
  return static_cast<std::int64_t>(bytes);
}

const OptionTable<DeclaredTopic>& declared_topic_options() {
  static const OptionTable<DeclaredTopic> table = {
      text<DeclaredTopic>("name", &DeclaredTopic::name, "The topic's name.", EmptyValue::refused)
          .shown_default("the stream's default topic"),
      custom<DeclaredTopic>(
          "partitions", "integer",
          "Partitions. A missing topic is created only when this is declared; an existing "
          "one with another count is reported, never changed (more partitions would move "
          "devices to other partitions and break their order).",
          [](DeclaredTopic& topic, const ConfigNode& node) {
            topic.settings.partitions = read_count(node, kMaxPartitions);
          }),
      custom<DeclaredTopic>("replication_factor", "integer",
                            "Copies of each partition; when creating, the broker's default "
                            "if absent.",
                            [](DeclaredTopic& topic, const ConfigNode& node) {
                              topic.settings.replication_factor =
                                  read_count(node, kMaxReplicationFactor);
                            }),
      custom<DeclaredTopic>("retention", "duration or `none`",
                            "`retention.ms`: how long Kafka keeps a record (`none`: forever).",
                            [](DeclaredTopic& topic, const ConfigNode& node) {
                              topic.settings.retention_ms = read_retention_ms(node);
                            }),
      custom<DeclaredTopic>("retention_bytes", "size or `none`",
                            "`retention.bytes`: the most each partition keeps (`none`: no "
                            "limit).",
                            [](DeclaredTopic& topic, const ConfigNode& node) {
                              topic.settings.retention_bytes = read_retention_bytes(node);
                            }),
      custom<DeclaredTopic>("compression", "one of",
                            "`compression.type` of the topic (`producer`: as the gateway sends "
                            "it, `lz4` unless `kafka.properties` says otherwise).",
                            [](DeclaredTopic& topic, const ConfigNode& node) {
                              topic.settings.compression = node.as_choice(
                                  {"producer", "uncompressed", "zstd", "lz4", "snappy", "gzip"});
                            }),
      custom<DeclaredTopic>(
          "cleanup_policy", "one of",
          "`cleanup.policy`: `delete` old records, `compact` to the latest "
          "per key, or both (`compact,delete`).",
          [](DeclaredTopic& topic, const ConfigNode& node) {
            topic.settings.cleanup_policy = node.as_choice({"delete", "compact", "compact,delete"});
          }),
  };
  return table;
}

std::vector<OptionDoc> with_bounds(std::vector<OptionDoc> rows) {
  for (OptionDoc& row : rows) {
    if (row.key == "partitions") {
      row.bounds = "at least 1";
    } else if (row.key == "replication_factor") {
      row.bounds = "1 to 32767";
    } else if (row.key == "compression") {
      row.bounds = "`producer`, `uncompressed`, `zstd`, `lz4`, `snappy`, `gzip`";
    } else if (row.key == "cleanup_policy") {
      row.bounds = "`delete`, `compact`, `compact,delete`";
    }
  }
  return rows;
}

void read_stream_topic(const ConfigNode& node, Stream stream, KafkaConfig& kafka) {
  if (!node.is_map()) {
    const std::string name = node.as<std::string>();
    if (name.empty()) {
      node.fail("must not be empty");
    }
    kafka.topics[stream] = name;
    return;
  }
  DeclaredTopic topic{kafka.topics[stream], {}};
  read_options(node, declared_topic_options(), topic);
  kafka.topics[stream] = topic.name;
  kafka.topic_settings[stream] = topic.settings;
}

std::vector<std::string_view> stream_keys() {
  std::vector<std::string_view> keys;
  for (std::uint8_t byte = 0; byte < kStreamCount; ++byte) {
    keys.push_back(stream_name(*stream_from_byte(byte)));
  }
  return keys;
}

}  // namespace

void parse_kafka_topics(const ConfigNode& node, KafkaConfig& kafka) {
  node.check_keys(stream_keys());
  for (std::uint8_t byte = 0; byte < kStreamCount; ++byte) {
    const Stream stream = *stream_from_byte(byte);
    if (const ConfigNode entry = node.child(stream_name(stream)); entry.defined()) {
      read_stream_topic(entry, stream, kafka);
    }
  }
}

std::vector<OptionDoc> describe_kafka_topics() {
  const KafkaConfig defaults;
  std::vector<OptionDoc> rows;
  for (std::uint8_t byte = 0; byte < kStreamCount; ++byte) {
    const Stream stream = *stream_from_byte(byte);
    rows.push_back({fmt::format("topics.{}", stream_name(stream)), "string or map",
                    fmt::format("`{}`", defaults.topics.at(stream)), "",
                    fmt::format("Kafka topic of the {} stream: its name, or a map declaring it "
                                "(`kafka.topics` table below).",
                                stream_name(stream))});
  }
  return rows;
}

std::vector<OptionDoc> describe_declared_topic() {
  return with_bounds(describe_options(declared_topic_options()));
}

}  // namespace edgegw::config
