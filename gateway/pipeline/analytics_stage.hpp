#pragma once
// The analytics step of the per-message path: feeds each Sample to the analytics engine
// and turns what it produced (window aggregates, alert transitions) into records for
// the aggregates and alerts streams, with the Kafka key of the device's latest sample
// (kafka.key), so that a device's records of every stream share one key.
//
// Threads: called by the Pipeline under its lock (the ingest thread per message, the
// daemon's ticker about once a second, the owner's thread for restore() at start and
// flush() at shutdown); never concurrently.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edgegw/analytics/engine.hpp"
#include "edgegw/device_metadata.hpp"
#include "edgegw/device_presence.hpp"
#include "edgegw/device_table.hpp"
#include "edgegw/mapping.hpp"
#include "edgegw/result.hpp"
#include "edgegw/sample.hpp"
#include "edgegw/stream.hpp"
#include "records/analytics_encoding.hpp"
#include "records/record.hpp"

namespace edgegw::pipeline {

// Where the stage's records go: the pipeline's append to the durable log.
using EmitRecord = std::function<Status(const records::Record&)>;

class AnalyticsStage {
 public:
  // Throws std::invalid_argument naming the key when the config is invalid. `metadata`
  // (none: no device has any) gives rules their `meta.<name>` thresholds.
  AnalyticsStage(const analytics::AnalyticsConfig& config, std::string gateway_id,
                 std::shared_ptr<const DeviceMetadataTable> metadata = nullptr);

  // `key`: the sample's Kafka key (MessageRouter::key_of). `metadata`: the device's, from
  // the table given at construction (nullptr: it has none); its `profile` chooses the
  // analytics profile, and its tags go into the device's aggregates and alerts.
  Status on_sample(const Sample& sample, std::string_view key, const MappingConfig& mapping,
                   std::int64_t now_ms, const EmitRecord& emit,
                   const DeviceMetadata* metadata = nullptr);
  // Devices that said they went offline or came back (Sparkplug deaths and births):
  // the engine's `offline` alert and its clear (Engine::on_presence).
  Status on_presence(const std::vector<PresenceChange>& changes, const MappingConfig& mapping,
                     std::int64_t now_ms, const EmitRecord& emit);
  Status on_tick(std::int64_t now_ms, const EmitRecord& emit);
  Status flush(const EmitRecord& emit);

  [[nodiscard]] analytics::EngineStats stats() const { return engine_.stats(); }
  // The engine's state (Engine::checkpoint), and its restore at start.
  [[nodiscard]] std::string checkpoint() const { return engine_.checkpoint(); }
  analytics::RestoreResult restore(std::string_view bytes, std::int64_t now_ms) {
    return engine_.restore(bytes, now_ms);
  }
  [[nodiscard]] std::uint64_t checkpoint_size_limit() const {
    return engine_.checkpoint_size_limit();
  }
  // Rules that do not apply to a device taken up, for want of its `meta.<name>` value
  // (each device and rule once).
  [[nodiscard]] std::uint64_t rules_without_meta() const { return rules_without_meta_; }

 private:
  Status emit_output(const EmitRecord& emit);
  [[nodiscard]] std::string_view key_of(const std::string& device) const;
  [[nodiscard]] records::RecordTags tags_of(const std::string& device) const;
  void report_missing_meta(const std::string& device);

  // What the stage keeps per device to emit the records the engine produces later (on
  // the tick, when a window closes): where they go and under which key.
  struct DeviceRoute {
    bool forwards_aggregates = false;          // its mapping says `forward: aggregates|both`
    std::string key;                           // the Kafka key of its latest sample
    const DeviceMetadata* metadata = nullptr;  // in the table the engine holds
  };

  analytics::Engine engine_;
  analytics::Output out_;  // reused between calls
  std::string gateway_id_;
  std::uint64_t rules_without_meta_ = 0;
  // Bounded and evicted like the engine's own state (analytics.max_devices,
  // idle_eviction, by arrival time), so that devices that come and go do not fill it for
  // good and leave newcomers' aggregates unforwarded.
  DeviceTable<DeviceRoute> routes_;
};

}  // namespace edgegw::pipeline
