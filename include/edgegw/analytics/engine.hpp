#pragma once
// The analytics engine: per-device windows, detectors and rules over the stream of
// Samples, producing Aggregates and Alerts.
//
// Ownership and threads: the gateway owns one Engine and calls it from one thread only
// (the ingest thread): on_sample() per mapped sample, on_tick() about once a second,
// flush() at shutdown. It does no I/O, reads no clock (times are passed in), and is
// deterministic: the same calls give the same outputs. Per-device state is created on
// first sight and bounded (docs/analytics.md gives the bytes per device and sensor).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgegw/analytics/aggregate.hpp"
#include "edgegw/analytics/alert.hpp"
#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/device_metadata.hpp"
#include "edgegw/device_presence.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::analytics {

enum class DetectorKind : std::uint8_t {
  ewma,
  mad,
  rate,
  stuck,
  silence,
  mahalanobis,
  pca,
  anomaly,  // the device-level anomaly detector: one alert per episode
  offline   // the device said it went offline (on_presence): a death certificate
};
inline constexpr std::size_t kDetectorKinds = 9;

std::string_view detector_name(DetectorKind kind);

// The detectors that put scores in Output::scores, in the order they do.
std::span<const DetectorKind> scored_detectors();

// One detector's verdict on one sample (per sensor for univariate detectors).
struct ScoreEntry {
  DetectorKind kind = DetectorKind::ewma;
  std::uint16_t sensor = 0;  // index into the sample's readings; 0 for multivariate
  double score = 0.0;        // statistic / threshold
  double p_value = 1.0;      // 1 when the detector is warming up or has no distribution
};

// What one call produced. The engine appends aggregates and alerts (the caller clears
// them after handing them on, keeping their capacity); scores and anomaly_score describe
// the last sample only and are reset by on_sample().
struct Output {
  std::vector<Aggregate> aggregates;
  std::vector<Alert> alerts;
  std::vector<ScoreEntry> scores;  // every ready detector's score for the last sample
  // Bonferroni combination of the last sample's detector p-values (min p times the
  // number of tests): small means surprising under the detectors' reference models.
  double p_value = 1.0;
  // The anomaly detector's report for the device at this sample, in [0, 1): the peak of
  // an episode (one sample late), else 0; 0 while learning or commissioning. An alert
  // is raised when it reaches the profile's `anomaly.threshold`.
  double anomaly_score = 0.0;
  // Whether any alert of the device is open after this sample.
  bool alerting = false;
  // When this sample made the engine take up its device: the `meta.<name>` thresholds of
  // its rules that the device's metadata lacks (those rules do not fire for it), so
  // that the caller can say so once per device rather than per reading.
  std::vector<std::string> missing_meta;

  void clear() {
    aggregates.clear();
    alerts.clear();
    scores.clear();
    p_value = 1.0;
    anomaly_score = 0.0;
    alerting = false;
    missing_meta.clear();
  }
};

struct EngineStats {
  std::uint64_t samples = 0;
  std::uint64_t readings = 0;
  std::uint64_t invalid_values = 0;  // NaN or infinite readings, ignored
  std::uint64_t late_samples = 0;    // older than their window's close: dropped
  std::uint64_t devices_tracked = 0;
  std::uint64_t devices_created = 0;
  std::uint64_t devices_evicted = 0;
  std::uint64_t devices_rejected = 0;  // samples dropped because max_devices was reached
  std::uint64_t sensors_rejected = 0;  // readings beyond max_sensors_per_device
  std::uint64_t unknown_profiles = 0;  // samples naming a profile the config lacks
  std::uint64_t aggregates = 0;
  std::uint64_t alerts_raised = 0;
  std::uint64_t alerts_updated = 0;
  std::uint64_t alerts_cleared = 0;
  std::uint64_t state_bytes = 0;    // estimate of memory held by device state
  std::uint64_t state_changes = 0;  // changes of a device's operating state (each settles)
};

// What Engine::restore() made of a checkpoint.
struct RestoreResult {
  bool restored = false;  // false: refused as a whole, and the engine was left as it was
  std::string reason;     // why it was refused (empty when restored)
  std::uint64_t devices_restored = 0;
  // Devices left out: their profile is gone or its config changed (fingerprint), or they
  // no longer fit max_devices / max_sensors_per_device.
  std::uint64_t devices_dropped = 0;
  // Of the restored devices, those idle for idle_eviction or longer at the time of the
  // restore: the next on_tick() evicts them (clearing their open alerts).
  std::uint64_t devices_expired = 0;
};

class Engine {
 public:
  // Throws std::invalid_argument naming the key when the config is invalid. `metadata`
  // (none: no device has any) holds the per-device thresholds of `meta.<name>` rules; it
  // is read when a device is taken up or restored, and must not change meanwhile.
  explicit Engine(AnalyticsConfig config,
                  std::shared_ptr<const DeviceMetadataTable> metadata = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  // `profile` names a profile of the config (empty: "default"); `now_ms` is the
  // gateway's wall clock (arrival time), used for silence and idle eviction, while
  // windows and rules use the sample's event time.
  void on_sample(const Sample& sample, std::string_view profile, std::int64_t now_ms, Output& out);
  // A device's own word that it went offline or came back (PresenceChange). Offline
  // raises its `offline` alert, taking the device up like a sample would, unless its
  // `silence` alert is open already: a device has one alert for being gone, whichever
  // noticed first. Online, or any sample of the device, clears it. While it is open the
  // silence detector does not raise. `now_ms` is the wall clock, as for silence.
  void on_presence(const PresenceChange& change, std::string_view profile, std::int64_t now_ms,
                   Output& out);
  // Closes windows of devices that went quiet, raises silence alerts, evicts idle state.
  void on_tick(std::int64_t now_ms, Output& out);
  // Closes every open window (shutdown, end of an offline run).
  void flush(Output& out);

  // The state of every device and the counters, as versioned, CRC-checked bytes
  // (analytics/anomaly/checkpoint.hpp describes the format). Deterministic: an engine
  // restored from it and fed the same calls gives the same outputs as this one.
  [[nodiscard]] std::string checkpoint() const;
  // Replaces the engine's state with a checkpoint's. A truncated, corrupted, foreign or
  // implausible checkpoint is refused as a whole (the engine is left unchanged); devices
  // whose profile is gone or changed are dropped one by one. `now_ms` (wall clock) is
  // when the gateway resumes: silence is measured from it (nothing was observed while it
  // was down), unless a device was idle past idle_eviction already (then the next tick
  // evicts it). A restore at or before every device's last arrival changes no time.
  // Allocates no more than the config allows (max_devices, max_sensors_per_device,
  // the detectors' window sizes).
  RestoreResult restore(std::string_view bytes, std::int64_t now_ms);
  // The largest checkpoint this config can produce: a file larger than this is refused
  // before it is read.
  [[nodiscard]] std::uint64_t checkpoint_size_limit() const;

  [[nodiscard]] EngineStats stats() const;
  [[nodiscard]] const AnalyticsConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgegw::analytics
