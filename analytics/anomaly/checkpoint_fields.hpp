#pragma once
// What the checkpoint saves of each state struct: one function per struct lists its
// fields once, for writing and for reading, with the bounds the reader enforces: the
// engine's structs in checkpoint_fields.cpp, each detector's in its unit. A field added
// to a state struct goes there (and the format version in checkpoint.hpp goes up); a
// static_assert on the struct's size next to it fails the build until it does.

#include <cstdint>

#include "anomaly/checkpoint_io.hpp"
#include "anomaly/device_state.hpp"
#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/analytics/engine.hpp"

namespace edgegw::analytics::checkpoint {

// Names longer than this are not saved (their device is left out) and not read.
inline constexpr std::size_t kMaxNameBytes = 4096;

// What a device of a given profile may hold: the reader refuses anything larger, and
// anything inconsistent with the profile (a MAD ring of another window, say).
struct DeviceLimits {
  const CompiledProfile* profile = nullptr;
  std::uint32_t max_sensors = 0;
  std::uint64_t sensor_detector_bytes = 0;  // what the per-sensor detectors may add
  std::uint64_t device_detector_bytes = 0;  // what the device-level detectors may add
  std::size_t rules = 0;
};

DeviceLimits device_limits(const CompiledProfile& profile, std::uint32_t max_sensors);

// The largest number of bytes a device of this profile can take in a checkpoint.
std::uint64_t max_device_bytes(const DeviceLimits& limits);

// The device's state after its name and profile (which checkpoint.cpp writes).
void encode_device(Writer& w, const DeviceState& d, const DeviceLimits& limits);
// Fills `d` (sensors, detectors, gates, rules); the reader's error says what was wrong.
// `d.profile` must be set to limits.profile.
void decode_device(Reader& r, DeviceState& d, const DeviceLimits& limits);

void encode_stats(Writer& w, const EngineStats& s);
void decode_stats(Reader& r, EngineStats& s);

// A hash of everything in a profile's config (and of the engine settings) that gives
// its devices' state a meaning: a device saved under another fingerprint is not
// restored. Severities are left out: they only label alerts.
std::uint64_t fingerprint(const ProfileConfig& profile, const AnalyticsConfig& config);

}  // namespace edgegw::analytics::checkpoint
