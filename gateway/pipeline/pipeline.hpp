#pragma once
// The per-message path, run on the MQTT callback thread: mapper → analytics → durable
// log. Every record the gateway forwards is appended here, in message order, so that
// per-device order holds end to end. Problems go to the dead-letter stream, never
// silently away.
//
// Threads: on_message() from the ingest thread, on_tick() and analytics_checkpoint()
// from the daemon's ticker; restore_analytics() before ingest starts, and flush() and a
// last analytics_checkpoint() at shutdown after the ticker stopped, from the owner's
// thread. An internal lock keeps them apart (uncontended per message: the ticker takes
// it about once a second). stop() from any thread releases a handler blocked on a full
// log.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "edgegw/config.hpp"
#include "edgegw/log.hpp"
#include "edgegw/log_throttle.hpp"
#include "mapping/map_outcome.hpp"
#include "pipeline/analytics_stage.hpp"
#include "pipeline/dead_letter_limiter.hpp"
#include "pipeline/maintenance_stage.hpp"
#include "pipeline/message_router.hpp"
#include "pipeline/pipeline_probe.hpp"
#include "pipeline/sequence_recall.hpp"
#include "pipeline/sequence_tracker.hpp"

namespace edgegw::pipeline {

// Told of every alert record once it is stored (e.g. to publish it on a local topic).
// Hears of each alert once its record is stored; `record` is its encoded JSON.
using AlertListener = std::function<void(const analytics::Alert& alert, std::string_view record)>;

class Pipeline {
 public:
  // The config and the log must outlive the pipeline. Throws ConfigError for mappings
  // that cannot be compiled, and ModelFileError for maintenance models that cannot load.
  Pipeline(const GatewayConfig& config, store::DurableLog& log);

  // Maps and stores one MQTT message. Returns when every record it produced is in the
  // log: when the log is full (`block`), the disk is full or failing, it waits and
  // retries (holding back the broker) until stop() is called. An error means a record
  // was not stored: stopped while waiting, or a record too large for the log.
  // `properties`: the message's MQTT 5 properties, when reads_message_properties().
  Status on_message(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
                    const MessageProperties& properties = kNoMessageProperties);
  // Whether a mapping reads $content_type or $user.<name> (fixed for the pipeline's life).
  [[nodiscard]] bool reads_message_properties() const { return router_.reads_message_properties(); }
  // Lets time-driven work happen without messages: idle per-device state (sequence
  // numbers, maintenance estimators) is evicted; with analytics, windows of quiet devices
  // close and silent devices raise alerts.
  Status on_tick(std::int64_t now_ms);
  // Closes every open analytics window (shutdown).
  Status flush();
  // kafka.delivery: exactly_once. Before the first message and before the forwarder
  // starts: each device's last sequence number from the log's tail, so that the
  // broker's redeliveries after a crash are recognised (sequence_recall.hpp).
  RecallResult recall_sequences(std::int64_t now_ms);
  // The analytics engine's state as checkpoint bytes (empty without analytics), taken
  // under the pipeline's lock, so between two messages. The caller writes it to disk
  // after the lock is released.
  std::string analytics_checkpoint();
  // Before the first message: the analytics state from a checkpoint (Engine::restore).
  analytics::RestoreResult restore_analytics(std::string_view bytes, std::int64_t now_ms);
  // The largest checkpoint the analytics config can produce (0 without analytics).
  [[nodiscard]] std::uint64_t analytics_checkpoint_limit() const;

  void stop() { stopping_ = true; }
  // Before the first message: who hears of stored alert records.
  void set_alert_listener(AlertListener listener) { alert_listener_ = std::move(listener); }
  [[nodiscard]] const PipelineProbe& probe() const { return probe_; }
  [[nodiscard]] bool analytics_enabled() const { return analytics_ != nullptr; }
  // The analytics counters as of the last tick (at most a second old): /metrics must not
  // wait for the per-message lock, which a full log under `block` may hold for long.
  [[nodiscard]] analytics::EngineStats analytics_stats() const;
  [[nodiscard]] std::vector<std::string> subscription_filters() const {
    return router_.subscription_filters();
  }

 private:
  Status map_and_store(std::string_view topic, std::string_view payload, std::int64_t arrival_ms,
                       const MessageProperties& properties);
  Status append(const records::Record& record);
  void count_problems(const mapping::MapOutcome& outcome);
  void count_timestamp(const mapping::MapOutcome& outcome);
  // True when the sample is a redelivery to drop (kafka.delivery: exactly_once).
  bool track_sequence(const Sample& sample, std::int64_t arrival_ms);
  void count_sparkplug_gap(std::string_view topic, std::uint32_t missing);
  void publish_table_counters();
  void storage_failed(const Error& error);
  void storage_recovered();

  const GatewayConfig& config_;
  store::DurableLog& log_;
  MessageRouter router_;
  SequenceTracker sequences_;
  DeadLetterLimiter dead_letter_limiter_;
  std::unique_ptr<AnalyticsStage> analytics_;
  std::unique_ptr<MaintenanceStage> maintenance_;
  EmitRecord emit_;  // append(), for the analytics stage
  AlertListener alert_listener_;
  std::mutex mutex_;
  mutable std::mutex stats_mutex_;
  analytics::EngineStats stats_snapshot_;
  mapping::MapOutcome outcome_;               // scratch, reused per message
  std::vector<records::Record> routed_;       // scratch, reused per message
  std::string sample_key_;                    // scratch: the Kafka key of the message's sample
  const DeviceMetadata* metadata_ = nullptr;  // of the message's device (none: nullptr)
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point stall_started_;  // while probe_.storage_stalled
  std::chrono::steady_clock::time_point stall_reported_;
  PipelineProbe probe_;
  LogThrottle sparkplug_gap_log_;  // one line per storm of Sparkplug seq gaps
};

}  // namespace edgegw::pipeline
