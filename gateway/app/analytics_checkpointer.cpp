#include "app/analytics_checkpointer.hpp"

#include <spdlog/spdlog.h>

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
  if (!bytes && bytes.error().code == "not_found") {
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

}  // namespace edgegw::app
