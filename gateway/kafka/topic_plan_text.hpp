#pragma once
// A topic plan (topic_plan.hpp) in words, one line per stream: what `edgegw topics`
// prints, what `check-config` shows and what the daemon logs.

#include <string>
#include <vector>

#include "kafka/topic_plan.hpp"

namespace edgegw::kafka {

// "telemetry: plant.telemetry: differs: partitions declared 12, cluster 6"
std::vector<std::string> plan_lines(const TopicPlan& plan);
// The offline plan (declared_topics()): what would be created if missing, and with what.
std::vector<std::string> declared_lines(const TopicPlan& plan, TopicManagement mode);
// "partitions=12 replication.factor=3 retention.ms=604800000"
std::string creation_text(const NewTopic& topic);

}  // namespace edgegw::kafka
