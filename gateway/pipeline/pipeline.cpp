#include "pipeline/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <thread>

namespace edgegw::pipeline {
namespace {

constexpr auto kSpaceWait = std::chrono::milliseconds(200);
constexpr auto kStorageRetry = std::chrono::milliseconds(200);
constexpr auto kStallReport = std::chrono::seconds(30);

}  // namespace

Pipeline::Pipeline(const GatewayConfig& config, store::DurableLog& log)
    : config_(config),
      log_(log),
      router_(config),
      dead_letter_limiter_(
          DeadLetterRate{config.mqtt.dead_letter_rate, config.mqtt.dead_letter_burst}),
      emit_([this](const records::Record& record) { return append(record); }) {
  probe_.metadata_devices = config.device_metadata ? config.device_metadata->size() : 0;
  if (config.analytics.enabled) {
    analytics_ = std::make_unique<AnalyticsStage>(config.analytics, config.gateway_id,
                                                  config.device_metadata);
  }
  if (!config.maintenance.empty()) {
    maintenance_ = std::make_unique<MaintenanceStage>(config.maintenance, config.gateway_id);
  }
}

Status Pipeline::on_message(std::string_view topic, std::string_view payload,
                            std::int64_t arrival_ms, const MessageProperties& properties) {
  const std::lock_guard lock(mutex_);
  Status stored = map_and_store(topic, payload, arrival_ms, properties);
  if (stored && analytics_ && !outcome_.presence.empty()) {
    // Before the sample: a birth's readings then score a device already back online.
    stored = analytics_->on_presence(outcome_.presence, *outcome_.mapping, arrival_ms, emit_);
  }
  if (!stored || !outcome_.has_sample || (!analytics_ && !maintenance_)) {
    return stored;
  }
  sample_key_ = router_.key_of(outcome_.sample);
  if (analytics_) {
    stored = analytics_->on_sample(outcome_.sample, sample_key_, *outcome_.mapping, arrival_ms,
                                   emit_, metadata_);
  }
  if (stored && maintenance_) {
    stored = maintenance_->on_sample(outcome_.sample, sample_key_, *outcome_.mapping, arrival_ms,
                                     emit_, metadata_);
  }
  return stored;
}

Status Pipeline::on_tick(std::int64_t now_ms) {
  const std::lock_guard lock(mutex_);
  // Before analytics: these tables must shrink whether or not analytics runs.
  sequences_.evict_idle(now_ms);
  dead_letter_limiter_.evict_idle(now_ms);
  if (maintenance_) {
    maintenance_->on_tick(now_ms);
  }
  publish_table_counters();
  if (!analytics_) {
    return Ok{};
  }
  Status status = analytics_->on_tick(now_ms, emit_);
  const std::lock_guard stats_lock(stats_mutex_);
  stats_snapshot_ = analytics_->stats();
  return status;
}

analytics::EngineStats Pipeline::analytics_stats() const {
  const std::lock_guard stats_lock(stats_mutex_);
  return stats_snapshot_;
}

Status Pipeline::flush() {
  const std::lock_guard lock(mutex_);
  return analytics_ ? analytics_->flush(emit_) : Status(Ok{});
}

std::string Pipeline::analytics_checkpoint() {
  const std::lock_guard lock(mutex_);
  return analytics_ ? analytics_->checkpoint() : std::string();
}

analytics::RestoreResult Pipeline::restore_analytics(std::string_view bytes, std::int64_t now_ms) {
  const std::lock_guard lock(mutex_);
  if (!analytics_) {
    return analytics::RestoreResult{false, "analytics is disabled", 0, 0, 0};
  }
  analytics::RestoreResult result = analytics_->restore(bytes, now_ms);
  const std::lock_guard stats_lock(stats_mutex_);
  stats_snapshot_ = analytics_->stats();
  return result;
}

std::uint64_t Pipeline::analytics_checkpoint_limit() const {
  return analytics_ ? analytics_->checkpoint_size_limit() : 0;
}

Status Pipeline::map_and_store(std::string_view topic, std::string_view payload,
                               std::int64_t arrival_ms, const MessageProperties& properties) {
  router_.route(topic, payload, arrival_ms, outcome_, routed_, properties);
  count_timestamp(outcome_);
  if (outcome_.sparkplug_seq_gap > 0) {
    count_sparkplug_gap(topic, outcome_.sparkplug_seq_gap);
  }
  if (!outcome_.problems.empty()) {
    count_problems(outcome_);
  }
  metadata_ = outcome_.has_sample ? router_.metadata_of(outcome_.sample) : nullptr;
  if (outcome_.has_sample) {
    ++probe_.samples;
    if (config_.device_metadata && metadata_ == nullptr) {
      ++probe_.metadata_unknown_samples;
    }
    probe_.readings += outcome_.sample.readings.size();
    if (track_sequence(outcome_.sample, arrival_ms)) {
      // Stored before the crash that kept its acknowledgement from the broker: storing
      // it again would send it twice (the analytics above have seen it once more).
      ++probe_.redeliveries_dropped;
      return Ok{};
    }
  }
  for (const records::Record& record : routed_) {
    if (record.stream == Stream::dead_letter &&
        !dead_letter_limiter_.admit(record.key, arrival_ms)) {
      ++probe_.dead_letters_suppressed;
      continue;
    }
    if (Status s = append(record); !s) {
      return s;
    }
  }
  return Ok{};
}

bool Pipeline::track_sequence(const Sample& sample, std::int64_t arrival_ms) {
  if (sample.sequence < 0) {
    return false;
  }
  const SequenceTracker::Change change =
      sequences_.observe(sample.device, sample.sequence, arrival_ms);
  probe_.sequence_gaps += change.missing;
  probe_.sequence_repeats += change.repeated ? 1 : 0;
  return change.repeated && config_.kafka.delivery == KafkaDelivery::exactly_once;
}

RecallResult Pipeline::recall_sequences(std::int64_t now_ms) {
  const std::lock_guard lock(mutex_);
  return pipeline::recall_sequences(log_, sequences_, now_ms);
}

// A Sparkplug host application would ask the node for a rebirth (NCMD); edgegw is not a
// primary host and sends no commands, so it counts and says so.
void Pipeline::count_sparkplug_gap(std::string_view topic, std::uint32_t missing) {
  probe_.sparkplug_seq_gaps += missing;
  if (const auto held_back = sparkplug_gap_log_.admit()) {
    spdlog::warn(
        "Sparkplug messages of an edge node are missing (its seq skipped them): lost between "
        "the node and the gateway. topic={} missing={} similar_lines_held_back={}",
        topic, missing, *held_back);
  }
}

// The device tables' counters, copied into the probe (the tables are not atomic and
// /metrics does not take the pipeline's lock). On the tick, about once a second, like
// the analytics stats: summing every class's table is no per-message work.
void Pipeline::publish_table_counters() {
  if (analytics_) {
    probe_.rules_without_meta = analytics_->rules_without_meta();
  }
  probe_.sequence_devices = sequences_.devices();
  probe_.sequence_devices_refused = sequences_.counters().refused;
  probe_.sequence_devices_evicted = sequences_.counters().evicted;
  if (maintenance_) {
    const DeviceTableCounters c = maintenance_->device_counters();
    probe_.maintenance_devices = maintenance_->devices();
    probe_.maintenance_devices_refused = c.refused;
    probe_.maintenance_devices_evicted = c.evicted;
  }
}

void Pipeline::count_timestamp(const mapping::MapOutcome& outcome) {
  if (outcome.timestamp == mapping::TimestampVerdict::rejected) {
    ++probe_.timestamps_rejected;
  } else if (outcome.timestamp == mapping::TimestampVerdict::replaced) {
    ++probe_.timestamps_replaced;
    spdlog::debug("Timestamp replaced by the arrival time. device={} detail={}",
                  outcome.sample.device, outcome.timestamp_note);
  }
}

void Pipeline::count_problems(const mapping::MapOutcome& outcome) {
  const mapping::DeadLetterReason first = outcome.problems.front().reason;
  ++probe_.dead_letters[reason_index(first)];
  // Only the problems that left a reading out: the others (a bad timestamp or sequence
  // number, no readings at all, an oversized payload) concern the message.
  for (const mapping::Problem& problem : outcome.problems) {
    if (mapping::leaves_a_reading_out(problem.reason)) {
      ++probe_.rejected_readings[reading_rejection_index(problem.reason)];
    }
  }
  spdlog::debug("Message sent to the dead-letter stream. reason={} detail={}",
                mapping::reason_name(first), outcome.problems.front().detail);
}

// Holds the MQTT callback (so Paho sends no acknowledgement and reads nothing further)
// until the record is stored: the broker keeps the backlog in the persistent session
// meanwhile. Only a record that can never fit, or shutdown, ends the wait unstored.
Status Pipeline::append(const records::Record& record) {
  while (true) {
    Result<std::uint64_t> offset = log_.append(record.stream, record.key, record.payload);
    if (offset) {
      storage_recovered();
      if (record.alert != nullptr && alert_listener_) {
        // Stored first: the alerts stream is the durable record.
        alert_listener_(*record.alert, record.payload);
      }
      return Ok{};
    }
    const Error& error = offset.error();
    if (error.code == store::StoreErrc::record_too_large || stopping_) {
      ++probe_.append_errors;
      return error;
    }
    if (error.code == store::StoreErrc::log_full) {
      ++probe_.blocked_waits;  // policy `block`: the forwarder frees space as Kafka acks
      log_.wait_for_space(kSpaceWait);
    } else {
      storage_failed(error);  // disk full (no_space) or failing (io_error): retry
      std::this_thread::sleep_for(kStorageRetry);
    }
  }
}

void Pipeline::storage_failed(const Error& error) {
  ++probe_.append_errors;
  const auto now = std::chrono::steady_clock::now();
  if (!probe_.storage_stalled) {
    probe_.storage_stalled = true;
    stall_started_ = now;
    stall_reported_ = now;
    spdlog::error(
        "Cannot write the durable log; holding MQTT intake until it can (the broker keeps "
        "the backlog, nothing is acknowledged unstored). error={}",
        error.message);
  } else if (now - stall_reported_ >= kStallReport) {
    stall_reported_ = now;
    spdlog::error("The durable log is still not writable after {} s. error={}",
                  std::chrono::duration_cast<std::chrono::seconds>(now - stall_started_).count(),
                  error.message);
  }
}

void Pipeline::storage_recovered() {
  if (probe_.storage_stalled) {
    probe_.storage_stalled = false;
    spdlog::info("The durable log is writable again after {} ms; MQTT intake resumes.",
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - stall_started_)
                     .count());
  }
}

}  // namespace edgegw::pipeline
