#include "app/analytics_checkpointer.hpp"

#include <spdlog/spdlog.h>

#include "metrics/metrics.hpp"
#include "pipeline/pipeline.hpp"
#include "store/atomic_file.hpp"

namespace edgegw::app {

AnalyticsCheckpointer::AnalyticsCheckpointer(pipeline::Pipeline& pipeline,
                                             std::filesystem::path directory,
                                             std::int64_t interval_ms,
                                             std::shared_ptr<store::FileSystem> fs)
    : pipeline_(pipeline),
      path_(std::move(directory) / kAnalyticsCheckpointFile),
      interval_ms_(interval_ms),
      fs_(std::move(fs)) {}

void AnalyticsCheckpointer::restore(std::int64_t now_ms) {
  last_save_ms_ = now_ms;
  Result<std::string> bytes =
      store::read_whole_file(*fs_, path_, pipeline_.analytics_checkpoint_limit());
  if (!bytes && bytes.error().code == store::StoreErrc::not_found) {
    spdlog::info("No analytics checkpoint: the detectors start learning. file={}", path_.string());
    return;
  }
  const analytics::RestoreResult result =
      bytes ? pipeline_.restore_analytics(bytes.value(), now_ms)
            : analytics::RestoreResult{false, bytes.error().message, 0, 0, 0};
  if (!result.restored) {
    ++probe_.refused;
    spdlog::warn(
        "The analytics checkpoint was not restored: analytics starts empty and the detectors "
        "learn again. file={} reason={}",
        path_.string(), result.reason);
    return;
  }
  probe_.devices_restored = result.devices_restored;
  probe_.devices_dropped = result.devices_dropped;
  if (result.devices_dropped > 0) {
    spdlog::warn(
        "Analytics state restored without the devices whose profile was removed or changed "
        "(or beyond analytics.max_devices / max_sensors_per_device); they learn again. "
        "file={} devices={} dropped={}",
        path_.string(), result.devices_restored, result.devices_dropped);
  } else {
    spdlog::info("Analytics state restored. file={} devices={} idle={}", path_.string(),
                 result.devices_restored, result.devices_expired);
  }
}

void AnalyticsCheckpointer::maybe_save(std::int64_t now_ms) {
  if (interval_ms_ > 0 && now_ms - last_save_ms_ >= interval_ms_) {
    save(now_ms);
  }
}

bool AnalyticsCheckpointer::save(std::int64_t now_ms) {
  last_save_ms_ = now_ms;
  const std::string bytes = pipeline_.analytics_checkpoint();  // under the pipeline's lock
  if (const Status s = store::write_file_atomically(*fs_, path_, bytes); !s) {
    ++probe_.save_failures;
    spdlog::error("The analytics checkpoint could not be saved. file={} error={}", path_.string(),
                  s.error().message);
    return false;
  }
  ++probe_.saved;
  probe_.bytes = bytes.size();
  spdlog::debug("Analytics checkpoint saved. file={} bytes={}", path_.string(), bytes.size());
  return true;
}

void report_metrics(const CheckpointProbe& p, metrics::Sink& sink) {
  using metrics::Type;
  sink.add({"analytics_checkpoints_saved_total", Type::counter,
            "Analytics checkpoints saved (every analytics.checkpoint_interval)."},
           p.saved.load());
  sink.add({"analytics_checkpoint_failures_total", Type::counter,
            "Analytics checkpoints that could not be saved (logged; the previous one stays)."},
           p.save_failures.load());
  sink.add(
      {"analytics_checkpoint_bytes", Type::gauge, "Size of the last analytics checkpoint saved."},
      p.bytes.load());
  sink.add({"analytics_checkpoint_refused", Type::gauge,
            "1 when the checkpoint found at start was damaged or incompatible and ignored (the "
            "log names the file and the reason)."},
           p.refused.load());
  sink.add({"analytics_checkpoint_devices_restored", Type::gauge,
            "Devices whose analytics state was restored at start."},
           p.devices_restored.load());
  sink.add({"analytics_checkpoint_devices_dropped", Type::gauge,
            "Devices of the checkpoint not restored: their profile was removed or changed."},
           p.devices_dropped.load());
}

}  // namespace edgegw::app
