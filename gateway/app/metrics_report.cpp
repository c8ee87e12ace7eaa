#include "app/metrics_report.hpp"

#include <fmt/format.h>

#include <chrono>

namespace edgegw::app {
namespace {

// Backslash, double quote and newline escaped, as the exposition format wants a label
// value: one bare quote in a gateway id would otherwise break every scrape.
std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

class Exposition {
 public:
  explicit Exposition(const std::string& gateway_id)
      : labels_(fmt::format("gateway=\"{}\"", escape_label_value(gateway_id))) {}

  template <typename T>
  void counter(std::string_view name, std::string_view help, T value) {
    add(name, "counter", help, static_cast<double>(value));
  }
  template <typename T>
  void gauge(std::string_view name, std::string_view help, T value) {
    add(name, "gauge", help, static_cast<double>(value));
  }
  std::string take() { return std::move(text_); }

 private:
  void add(std::string_view name, std::string_view type, std::string_view help, double value) {
    fmt::format_to(std::back_inserter(text_),
                   "# HELP edgegw_{0} {1}\n# TYPE edgegw_{0} {2}\n"
                   "edgegw_{0}{{{3}}} {4}\n",
                   name, help, type, labels_, value);
  }

  std::string labels_;
  std::string text_;
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void add_log(Exposition& m, const store::LogStats& log) {
  m.gauge("log_bytes", "Bytes of the durable log on disk.", log.bytes);
  m.gauge("log_segments", "Segment files of the durable log.", log.segments);
  m.gauge("log_cursor_lag_records", "Records appended but not yet acknowledged by Kafka.",
          log.end_offset - log.cursor);
  m.gauge("log_oldest_unacked_age_seconds", "Age of the oldest record not yet acknowledged.",
          log.oldest_unacked_append_ms == 0
              ? 0.0
              : static_cast<double>(now_ms() - log.oldest_unacked_append_ms) / 1000.0);
  m.counter("log_appended_records_total", "Records appended to the log.", log.appended_records);
  m.counter("log_dropped_records_total", "Records dropped by the drop_oldest policy.",
            log.dropped_records);
  m.counter("log_kept_records_total",
            "Records of dropped segments kept (alerts, aggregates, predictions outlive "
            "telemetry).",
            log.kept_records);
  m.counter("log_full_rejections_total", "Appends refused because the log was full (block).",
            log.full_rejections);
  m.counter("log_corrupt_ranges_total", "Damaged ranges found in log segments.",
            log.corrupt_ranges);
  m.counter("log_corrupt_bytes_total", "Bytes of damaged log ranges skipped.", log.corrupt_bytes);
  m.counter("log_truncated_tail_bytes_total", "Bytes of torn tail removed at recovery.",
            log.truncated_tail_bytes);
  m.counter("log_fsyncs_total", "fsync calls made by the log.", log.fsyncs);
  m.counter("log_dropped_segments_total", "Segment files deleted by the drop_oldest policy.",
            log.dropped_segments);
  m.counter("log_io_errors_total", "Failed writes, fsyncs, removals and cursor writes of the log.",
            log.io_errors);
  m.counter("log_cursor_fallbacks_total",
            "Starts that found the cursor file missing or corrupt and re-sent from the oldest "
            "record.",
            log.cursor_fallbacks);
}

void add_ingest(Exposition& m, const ingest::IngestProbe& p) {
  m.gauge("mqtt_connected", "1 when connected to the MQTT broker.", p.connected ? 1 : 0);
  m.counter("mqtt_messages_total", "MQTT messages received.", p.messages.load());
  m.counter("mqtt_bytes_total", "MQTT payload bytes received.", p.bytes.load());
  m.counter("mqtt_connects_total", "Successful MQTT connections.", p.connects.load());
  m.counter("mqtt_connection_losses_total", "MQTT connections lost.", p.connection_losses.load());
  m.counter("mqtt_connect_failures_total", "Failed MQTT connection attempts.",
            p.connect_failures.load());
  m.counter("mqtt_callback_errors_total", "Errors raised while handling MQTT callbacks.",
            p.callback_errors.load());
}

void add_pipeline(Exposition& m, const pipeline::PipelineProbe& p) {
  m.counter("samples_total", "Messages mapped to a sample.", p.samples.load());
  m.counter("readings_total", "Sensor readings mapped.", p.readings.load());
  m.counter("dead_letters_total", "Messages sent to the dead-letter stream.",
            p.dead_letters.load());
  m.counter("unmapped_messages_total", "Messages whose topic matched no mapping.",
            p.unmapped.load());
  m.counter("decode_errors_total", "Payloads that could not be decoded.", p.decode_errors.load());
  m.counter("rejected_readings_total", "Readings rejected (type, range, timestamp).",
            p.rejected_readings.load());
  m.counter("timestamps_rejected_total",
            "Messages dead-lettered (bad_timestamp) for a timestamp beyond max_clock_skew or "
            "max_sample_age.",
            p.timestamps_rejected.load());
  m.counter("timestamps_replaced_total",
            "Samples whose timestamp, beyond max_clock_skew or max_sample_age, was replaced by "
            "the arrival time (on_bad_timestamp: arrival_time).",
            p.timestamps_replaced.load());
  m.counter("sequence_gaps_total", "Messages missing from devices' sequence numbers.",
            p.sequence_gaps.load());
  m.counter("sequence_repeats_total", "Repeated device sequence numbers.",
            p.sequence_repeats.load());
  m.gauge("sequence_devices", "Devices whose sequence numbers are tracked.",
          p.sequence_devices.load());
  m.counter("sequence_devices_refused_total",
            "Messages whose sequence number went unchecked: the tracker's 100000 devices were "
            "reached.",
            p.sequence_devices_refused.load());
  m.counter("sequence_devices_evicted_total",
            "Devices the sequence tracker forgot after a day without a sequence number.",
            p.sequence_devices_evicted.load());
  m.gauge("maintenance_devices", "Devices with predictive-maintenance state.",
          p.maintenance_devices.load());
  m.counter("maintenance_devices_refused_total",
            "Samples without a maintenance estimate: the device class's max_devices was "
            "reached.",
            p.maintenance_devices_refused.load());
  m.counter("maintenance_devices_evicted_total",
            "Devices whose maintenance state was dropped after idle_eviction.",
            p.maintenance_devices_evicted.load());
  m.counter("append_errors_total",
            "Failed appends to the log (retried while the disk is full "
            "or failing).",
            p.append_errors.load());
  m.gauge("log_write_stalled", "1 while the log cannot be written and MQTT intake is held.",
          p.storage_stalled ? 1 : 0);
  m.counter("blocked_waits_total", "Waits for log space under the block policy.",
            p.blocked_waits.load());
}

void add_forwarder(Exposition& m, const forward::ForwarderProbe& p) {
  m.counter("kafka_produced_total", "Records handed to the Kafka producer.", p.produced.load());
  m.counter("kafka_delivered_total", "Records acknowledged by Kafka.", p.delivered.load());
  m.counter("kafka_delivery_retries_total", "Records produced again after a timeout.",
            p.delivery_retries.load());
  m.counter("kafka_delivery_failures_total", "Records Kafka refused for good.",
            p.delivery_failures.load());
  m.counter("log_loss_reports_total", "Lost log ranges reported on the dead-letter stream.",
            p.loss_reports.load());
  m.counter("log_read_errors_total", "Errors reading the log.", p.read_errors.load());
  m.counter("log_commit_errors_total", "Errors saving the log cursor.", p.commit_errors.load());
  m.gauge("kafka_in_flight", "Records produced and not yet acknowledged.", p.in_flight.load());
  m.gauge("kafka_brokers_down", "1 when no Kafka broker is reachable.", p.brokers_down ? 1 : 0);
  m.gauge("kafka_committed_offset",
          "Log offset below which Kafka acknowledged every record and the cursor was saved.",
          p.committed_offset.load());
}

void add_analytics(Exposition& m, const analytics::EngineStats& s) {
  m.counter("analytics_samples_total", "Samples analysed.", s.samples);
  m.counter("analytics_readings_total", "Readings analysed.", s.readings);
  m.counter("analytics_devices_created_total", "Devices whose analytics state was created.",
            s.devices_created);
  m.counter("analytics_sensors_rejected_total",
            "Readings not analysed because their device has max_sensors_per_device sensors.",
            s.sensors_rejected);
  m.counter("analytics_unknown_profiles_total",
            "Devices analysed with the default profile: their mapping names a profile the "
            "config lacks.",
            s.unknown_profiles);
  m.counter("analytics_invalid_values_total", "NaN or infinite readings ignored.",
            s.invalid_values);
  m.counter("analytics_late_samples_total", "Samples too late for their window.", s.late_samples);
  m.gauge("analytics_devices", "Devices with analytics state.", s.devices_tracked);
  m.counter("analytics_devices_evicted_total", "Idle devices whose state was dropped.",
            s.devices_evicted);
  m.counter("analytics_devices_rejected_total",
            "Samples not analysed because analytics.max_devices was reached.", s.devices_rejected);
  m.counter("analytics_aggregates_total", "Window aggregates produced.", s.aggregates);
  m.counter("alerts_raised_total", "Alerts raised.", s.alerts_raised);
  m.counter("alerts_updated_total", "Alert updates.", s.alerts_updated);
  m.counter("alerts_cleared_total", "Alerts cleared.", s.alerts_cleared);
  m.gauge("analytics_state_bytes", "Memory held by analytics device state.", s.state_bytes);
}

void add_checkpoint(Exposition& m, const CheckpointProbe& p) {
  m.counter("analytics_checkpoints_saved_total", "Analytics checkpoints saved.", p.saved.load());
  m.counter("analytics_checkpoint_failures_total", "Analytics checkpoints that could not be saved.",
            p.save_failures.load());
  m.gauge("analytics_checkpoint_bytes", "Size of the last analytics checkpoint saved.",
          p.bytes.load());
  m.gauge("analytics_checkpoint_refused",
          "1 when the checkpoint found at start was damaged or incompatible and ignored.",
          p.refused.load());
  m.gauge("analytics_checkpoint_devices_restored", "Devices whose analytics state was restored.",
          p.devices_restored.load());
  m.gauge("analytics_checkpoint_devices_dropped",
          "Devices of the checkpoint not restored: their profile was removed or changed.",
          p.devices_dropped.load());
}

void add_alert_topic(Exposition& m, const local_alerts::AlertTopicStats& s) {
  m.counter("mqtt_alerts_published_total", "Alert records handed to the local MQTT topic.",
            s.published);
  m.counter("mqtt_alerts_delivered_total", "Alert records the MQTT broker acknowledged.",
            s.mqtt.delivered);
  m.counter("mqtt_alerts_dropped_total",
            "Alert records dropped from the MQTT buffer while the broker was away "
            "(still on the alerts stream).",
            s.mqtt.dropped);
  m.counter("mqtt_alerts_filtered_total", "Alert records below mqtt.alerts.min_severity.",
            s.filtered);
  m.counter("mqtt_alerts_accepted_total", "Alert records the MQTT client accepted for delivery.",
            s.mqtt.accepted);
  m.counter("mqtt_alerts_resent_total",
            "Alert records sent again on a new connection (an actuator may see them twice).",
            s.mqtt.resent);
  m.counter("mqtt_alerts_connection_losses_total", "Connections of the alert publisher lost.",
            s.mqtt.connection_losses);
  m.gauge("mqtt_alerts_connected", "1 while the alert publisher is connected.",
          s.mqtt.connected ? 1 : 0);
}

}  // namespace

std::string render_metrics(const MetricsInputs& in) {
  Exposition m(in.gateway_id);
  add_log(m, in.log);
  add_ingest(m, in.ingest);
  add_pipeline(m, in.pipeline);
  add_forwarder(m, in.forwarder);
  if (in.analytics_enabled) {
    add_analytics(m, in.analytics);
    if (in.checkpoint != nullptr) {
      add_checkpoint(m, *in.checkpoint);
    }
  }
  if (in.alert_topic) {
    add_alert_topic(m, *in.alert_topic);
  }
  return m.take();
}

}  // namespace edgegw::app
