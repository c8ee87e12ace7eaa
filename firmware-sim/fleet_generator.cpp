#include "fleet_generator.hpp"

#include <fmt/format.h>

namespace edgegw::sim {

FleetGenerator::FleetGenerator(const FleetConfig& config) : config_(config) {
  config_.validate();
  const auto total = static_cast<std::int64_t>(config_.device_count());
  devices_.reserve(static_cast<std::size_t>(total));
  for (const ClassConfig& cls : config_.classes) {
    for (int i = 0; i < cls.count; ++i) {
      const std::size_t index = devices_.size();
      DeviceIdentity id{fmt::format("{}-{:03}", class_name(cls.device_class), i + 1),
                        config_.sites.at(static_cast<std::size_t>(i) % config_.sites.size()),
                        cls.device_class, index};
      // Spread first ticks across one interval so that a fleet does not publish in bursts.
      const std::int64_t offset = static_cast<std::int64_t>(index) * cls.interval_ms / total;
      SparkplugNode* node = node_for(cls, i, index);
      devices_.emplace_back(config_, cls, std::move(id), config_.start_ms + offset, node);
      queue_.emplace(devices_.back().next_ms(), index);
    }
  }
}

// Every devices_per_node devices of a Sparkplug class start a new edge node.
SparkplugNode* FleetGenerator::node_for(const ClassConfig& cls, int i, std::size_t index) {
  if (cls.format != PayloadFormat::sparkplug) {
    return nullptr;
  }
  const int per_node = cls.sparkplug.devices_per_node;
  if (i % per_node == 0) {
    nodes_.push_back(std::make_unique<SparkplugNode>(
        cls.sparkplug.group,
        fmt::format("{}-node-{:02}", class_name(cls.device_class), i / per_node + 1), index,
        cls.qos));
  }
  return nodes_.back().get();
}

void FleetGenerator::stop(TickOutput& out) {
  out.clear();
  out.event_ms = last_ms_;
  for (const auto& node : nodes_) {
    if (node->born()) {
      out.messages.push_back(node->death(last_ms_));
      devices_.at(node->first_device()).sent_for_node();
    }
  }
}

void FleetGenerator::next(TickOutput& out) {
  out.clear();
  const auto [when, index] = queue_.top();
  queue_.pop();
  SimDevice& d = devices_[index];
  out.event_ms = when;
  last_ms_ = when;
  d.tick(out);
  queue_.emplace(d.next_ms(), index);
}

void FleetGenerator::finish(std::vector<Label>& labels) {
  for (SimDevice& d : devices_) {
    d.finish(labels);
  }
}

}  // namespace edgegw::sim
