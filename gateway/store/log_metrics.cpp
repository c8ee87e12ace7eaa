#include "store/log_metrics.hpp"

#include "metrics/metrics.hpp"

namespace edgegw::store {

void report_metrics(const LogStats& log, std::int64_t now_ms, metrics::Sink& sink) {
  using metrics::Type;
  sink.add({"log_bytes", Type::gauge, "Bytes of the durable log on disk."}, log.bytes);
  sink.add({"log_segments", Type::gauge, "Segment files of the durable log."}, log.segments);
  sink.add({"log_cursor_lag_records", Type::gauge,
            "Records appended but not yet acknowledged by Kafka (the backlog)."},
           log.end_offset - log.cursor);
  const double oldest_age_s =
      log.oldest_unacked_append_ms == 0
          ? 0.0
          : static_cast<double>(now_ms - log.oldest_unacked_append_ms) / 1000.0;
  sink.add({"log_oldest_unacked_age_seconds", Type::gauge,
            "Age of the oldest record not yet acknowledged by Kafka: alert when it keeps "
            "growing."},
           oldest_age_s);
  const metrics::Family appended{"log_appended_records_total", Type::counter,
                                 "Records appended to the log, by stream."};
  for (std::size_t i = 0; i < kStreamCount; ++i) {
    sink.add(appended, static_cast<double>(log.appended_by_stream.at(i)),
             {{"stream", stream_name(static_cast<Stream>(i))}});
  }
  sink.add({"log_dropped_records_total", Type::counter,
            "Records dropped unforwarded by the drop_oldest policy: alert on any increase."},
           log.dropped_records);
  sink.add({"log_dropped_segments_total", Type::counter,
            "Segment files deleted by the drop_oldest policy."},
           log.dropped_segments);
  sink.add({"log_kept_records_total", Type::counter,
            "Records of dropped segments kept (alerts, aggregates and predictions outlive "
            "telemetry)."},
           log.kept_records);
  sink.add({"log_full_rejections_total", Type::counter,
            "Appends refused because the log was full (policy block)."},
           log.full_rejections);
  sink.add({"log_corrupt_ranges_total", Type::counter,
            "Damaged ranges found in log segments (each reported on the dead-letter stream)."},
           log.corrupt_ranges);
  sink.add({"log_corrupt_bytes_total", Type::counter, "Bytes of damaged log ranges skipped."},
           log.corrupt_bytes);
  sink.add(
      {"log_truncated_tail_bytes_total", Type::counter, "Bytes of torn tail removed at recovery."},
      log.truncated_tail_bytes);
  sink.add({"log_fsyncs_total", Type::counter, "fsync calls made by the log."}, log.fsyncs);
  sink.add({"log_io_errors_total", Type::counter,
            "Failed writes, fsyncs, removals and cursor writes of the log."},
           log.io_errors);
  sink.add({"log_cursor_fallbacks_total", Type::counter,
            "Starts that found the cursor file missing, corrupt or implausible and re-sent "
            "from the oldest record (duplicates downstream, nothing lost)."},
           log.cursor_fallbacks);
  sink.add({"log_scan_budget_cutoffs_total", Type::counter,
            "Damaged segments whose resynchronisation exceeded the scan budget: the rest of "
            "the segment was treated as damaged (alert on any increase: crafted or badly "
            "damaged data)."},
           log.scan_budget_cutoffs);
}

}  // namespace edgegw::store
