#pragma once
// Saves the analytics engine's state to `<buffer.directory>/analytics.checkpoint` every
// `analytics.checkpoint_interval` and at a clean shutdown, and restores it at start, so
// that a restart does not send every detector back into its warm-up.
//
// Threads: restore() before the pipeline takes messages; maybe_save() from the daemon's
// ticker, save() at shutdown after the ticker stopped. The engine's state is copied
// under the pipeline's lock (between two messages); the file is written after the lock
// is released, so a slow disk does not hold up ingest. The probe is read by /metrics.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "store/file_system.hpp"

namespace edgegw::pipeline {
class Pipeline;
}
namespace edgegw::metrics {
class Sink;
}

namespace edgegw::app {

inline constexpr const char* kAnalyticsCheckpointFile = "analytics.checkpoint";

struct CheckpointProbe {
  std::atomic<std::uint64_t> saved{0};
  std::atomic<std::uint64_t> save_failures{0};
  std::atomic<std::uint64_t> bytes{0};  // size of the last checkpoint saved
  // At start: 1 when a checkpoint was found and refused (damaged or incompatible).
  std::atomic<std::uint64_t> refused{0};
  std::atomic<std::uint64_t> devices_restored{0};
  std::atomic<std::uint64_t> devices_dropped{0};  // profile gone or changed, over limits
};

void report_metrics(const CheckpointProbe& p, metrics::Sink& sink);

class AnalyticsCheckpointer {
 public:
  AnalyticsCheckpointer(pipeline::Pipeline& pipeline, std::filesystem::path directory,
                        std::int64_t interval_ms,
                        std::shared_ptr<store::FileSystem> fs = store::posix_file_system());

  // Restores the checkpoint if there is one; a damaged or incompatible one is logged,
  // counted and ignored (analytics starts empty).
  void restore(std::int64_t now_ms);
  // Saves when the interval has passed since the last save (or the start).
  void maybe_save(std::int64_t now_ms);
  // Saves now; returns whether it worked (failures are logged and counted).
  bool save(std::int64_t now_ms);

  [[nodiscard]] const CheckpointProbe& probe() const { return probe_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  pipeline::Pipeline& pipeline_;
  std::filesystem::path path_;
  std::int64_t interval_ms_;
  std::shared_ptr<store::FileSystem> fs_;
  std::int64_t last_save_ms_ = 0;
  CheckpointProbe probe_;
};

}  // namespace edgegw::app
