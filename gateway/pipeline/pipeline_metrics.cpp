#include "pipeline/pipeline_metrics.hpp"

#include "metrics/metrics.hpp"

namespace edgegw::pipeline {
namespace {

using metrics::Type;

void report_bad_input(const PipelineProbe& p, metrics::Sink& sink) {
  const metrics::Family dead_letters{
      "dead_letters_total", Type::counter,
      "Messages sent to the dead-letter stream, by the reason of their first problem (each "
      "dead letter lists all of them; test-mapping shows what a message becomes)."};
  for (std::size_t i = 0; i < mapping::kDeadLetterReasonCount; ++i) {
    sink.add(dead_letters, static_cast<double>(p.dead_letters[i].load()),
             {{"reason", mapping::kDeadLetterReasonNames[i]}});
  }
  sink.add({"dead_letters_suppressed_total", Type::counter,
            "Dead letters not stored because their source sent more than "
            "mqtt.dead_letter_rate (and its burst); their messages are counted in "
            "dead_letters_total all the same."},
           p.dead_letters_suppressed.load());
  const metrics::Family rejected{
      "rejected_readings_total", Type::counter,
      "Readings left out of their sample (the rest of the message is kept), by reason."};
  const std::size_t first = reason_index(mapping::DeadLetterReason::unknown_sensor);
  for (std::size_t i = 0; i < kReadingRejectionCount; ++i) {
    sink.add(rejected, static_cast<double>(p.rejected_readings[i].load()),
             {{"reason", mapping::kDeadLetterReasonNames[first + i]}});
  }
  sink.add({"unmapped_messages_total", Type::counter,
            "Deprecated, kept for dashboards: dead_letters_total{reason=\"no_mapping\"}."},
           p.dead_letters[reason_index(mapping::DeadLetterReason::no_mapping)].load());
  sink.add({"decode_errors_total", Type::counter,
            "Deprecated, kept for dashboards: dead_letters_total{reason=\"decode_error\"}."},
           p.dead_letters[reason_index(mapping::DeadLetterReason::decode_error)].load());
  sink.add({"timestamps_rejected_total", Type::counter,
            "Messages dead-lettered (bad_timestamp) for a payload timestamp beyond "
            "max_clock_skew or max_sample_age (on_bad_timestamp: dead_letter): devices whose "
            "clock is unset or wrong."},
           p.timestamps_rejected.load());
  sink.add({"timestamps_replaced_total", Type::counter,
            "Samples whose timestamp, beyond max_clock_skew or max_sample_age, was replaced by "
            "the arrival time (on_bad_timestamp: arrival_time)."},
           p.timestamps_replaced.load());
}

void report_metadata(const PipelineProbe& p, metrics::Sink& sink) {
  sink.add({"metadata_devices", Type::gauge,
            "Devices of the metadata file (metadata.file) in the running config."},
           p.metadata_devices.load());
  sink.add({"metadata_unknown_samples_total", Type::counter,
            "Samples of devices the metadata file does not list: they flow without its tags "
            "and profile, and rules with a meta threshold do not apply to them."},
           p.metadata_unknown_samples.load());
  sink.add({"metadata_rules_unresolved_total", Type::counter,
            "Rules that do not apply to a device because its metadata lacks their "
            "`meta.<name>` threshold, counted once per device and rule when the analytics "
            "take the device up (and logged then)."},
           p.rules_without_meta.load());
}

void report_sequences(const PipelineProbe& p, metrics::Sink& sink) {
  sink.add({"sequence_gaps_total", Type::counter,
            "Messages missing from devices' sequence numbers: loss upstream of the gateway "
            "(the broker's max_queued_messages, the devices' own buffers)."},
           p.sequence_gaps.load());
  sink.add({"sequence_repeats_total", Type::counter,
            "Repeated device sequence numbers: duplication upstream of the gateway."},
           p.sequence_repeats.load());
  sink.add({"sparkplug_seq_gaps_total", Type::counter,
            "Sparkplug B messages missing from edge nodes' `seq` (0-255 per node): loss "
            "between the node and the gateway. edgegw requests no rebirth (it is no primary "
            "host); the log says which node."},
           p.sparkplug_seq_gaps.load());
  sink.add({"mqtt_redeliveries_dropped_total", Type::counter,
            "kafka.delivery exactly_once: messages not stored because their device sequence "
            "number was not newer than the last stored one (the broker delivering again what "
            "was stored before a crash)."},
           p.redeliveries_dropped.load());
  sink.add({"sequence_devices", Type::gauge,
            "Devices whose sequence numbers are tracked (refreshed about once a second)."},
           p.sequence_devices.load());
  sink.add({"sequence_devices_refused_total", Type::counter,
            "Messages whose sequence number went unchecked: the tracker's 100000 devices were "
            "reached."},
           p.sequence_devices_refused.load());
  sink.add({"sequence_devices_evicted_total", Type::counter,
            "Devices the sequence tracker forgot after a day without a sequence number (a gap "
            "across that silence is not counted)."},
           p.sequence_devices_evicted.load());
}

void report_maintenance(const PipelineProbe& p, metrics::Sink& sink) {
  sink.add({"maintenance_devices", Type::gauge,
            "Devices with predictive-maintenance state, over all device classes (refreshed "
            "about once a second)."},
           p.maintenance_devices.load());
  sink.add({"maintenance_devices_refused_total", Type::counter,
            "Samples without a maintenance estimate: their device class's max_devices was "
            "reached."},
           p.maintenance_devices_refused.load());
  sink.add({"maintenance_devices_evicted_total", Type::counter,
            "Devices whose maintenance state was dropped after idle_eviction."},
           p.maintenance_devices_evicted.load());
}

void report_storage(const PipelineProbe& p, metrics::Sink& sink) {
  sink.add({"append_errors_total", Type::counter,
            "Failed appends to the log (retried while the disk is full or failing)."},
           p.append_errors.load());
  sink.add({"log_write_stalled", Type::gauge,
            "1 while the disk is full or failing and MQTT intake is held (the broker keeps "
            "the backlog)."},
           p.storage_stalled.load());
  sink.add({"blocked_waits_total", Type::counter,
            "Waits for log space under the block policy (the size cap biting)."},
           p.blocked_waits.load());
}

}  // namespace

void report_metrics(const PipelineProbe& p, metrics::Sink& sink) {
  sink.add({"samples_total", Type::counter, "Messages mapped to a sample."}, p.samples.load());
  sink.add({"readings_total", Type::counter, "Sensor readings mapped."}, p.readings.load());
  report_bad_input(p, sink);
  report_sequences(p, sink);
  report_maintenance(p, sink);
  report_storage(p, sink);
  report_metadata(p, sink);
}

void report_metrics(const analytics::EngineStats& s, metrics::Sink& sink) {
  sink.add({"analytics_samples_total", Type::counter, "Samples analysed."}, s.samples);
  sink.add({"analytics_readings_total", Type::counter, "Readings analysed."}, s.readings);
  sink.add({"analytics_invalid_values_total", Type::counter, "NaN or infinite readings ignored."},
           s.invalid_values);
  sink.add({"analytics_late_samples_total", Type::counter,
            "Samples too late for their window, dropped."},
           s.late_samples);
  sink.add({"analytics_devices", Type::gauge, "Devices with analytics state."}, s.devices_tracked);
  sink.add({"analytics_state_changes_total", Type::counter,
            "Changes of a device's operating state; the detectors settle after each."},
           s.state_changes);
  sink.add({"analytics_devices_created_total", Type::counter,
            "Devices whose analytics state was created."},
           s.devices_created);
  sink.add({"analytics_devices_evicted_total", Type::counter,
            "Idle devices whose analytics state was dropped."},
           s.devices_evicted);
  sink.add({"analytics_devices_rejected_total", Type::counter,
            "Samples not analysed because analytics.max_devices was reached."},
           s.devices_rejected);
  sink.add({"analytics_sensors_rejected_total", Type::counter,
            "Readings not analysed because their device has max_sensors_per_device sensors."},
           s.sensors_rejected);
  sink.add({"analytics_unknown_profiles_total", Type::counter,
            "Devices analysed with the default profile: their mapping names a profile the "
            "config lacks."},
           s.unknown_profiles);
  sink.add({"analytics_aggregates_total", Type::counter, "Window aggregates produced."},
           s.aggregates);
  sink.add({"alerts_raised_total", Type::counter, "Alerts raised."}, s.alerts_raised);
  sink.add({"alerts_updated_total", Type::counter, "Alert updates."}, s.alerts_updated);
  sink.add({"alerts_cleared_total", Type::counter, "Alerts cleared."}, s.alerts_cleared);
  sink.add({"analytics_state_bytes", Type::gauge,
            "Memory held by analytics device state (an estimate)."},
           s.state_bytes);
}

}  // namespace edgegw::pipeline
