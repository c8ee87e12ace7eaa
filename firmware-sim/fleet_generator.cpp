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
      devices_.emplace_back(config_, cls, std::move(id), config_.start_ms + offset);
      queue_.emplace(devices_.back().next_ms(), index);
    }
  }
}

void FleetGenerator::next(TickOutput& out) {
  out.clear();
  const auto [when, index] = queue_.top();
  queue_.pop();
  SimDevice& d = devices_[index];
  out.event_ms = when;
  d.tick(out);
  queue_.emplace(d.next_ms(), index);
}

void FleetGenerator::finish(std::vector<Label>& labels) {
  for (SimDevice& d : devices_) {
    d.finish(labels);
  }
}

}  // namespace edgegw::sim
