#pragma once
// `kafka.topics`: per stream its topic's name (`telemetry: plant.telemetry`) or a map
// declaring the topic (`telemetry: { name: plant.telemetry, partitions: 12, ... }`),
// which topic management (kafka/topic_plan.hpp) creates and compares.

#include <vector>

#include "config/config_node.hpp"
#include "config/option_doc.hpp"
#include "edgegw/config.hpp"

namespace edgegw::config {

// Reads `node` (the `topics` map, or absent) into `kafka.topics` and
// `kafka.topic_settings`.
void parse_kafka_topics(const ConfigNode& node, KafkaConfig& kafka);

// The `topics.<stream>` rows of the kafka table.
std::vector<OptionDoc> describe_kafka_topics();
// The keys of a declared topic (the map form), for their own table.
std::vector<OptionDoc> describe_declared_topic();

}  // namespace edgegw::config
