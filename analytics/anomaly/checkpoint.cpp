// Engine::checkpoint and Engine::restore: the frame of the checkpoint (checkpoint.hpp),
// the matching of devices with profiles, and the swap of the engine's state.

#include "anomaly/checkpoint.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "anomaly/checkpoint_fields.hpp"
#include "anomaly/engine_impl.hpp"
#include "edgegw/crc32c.hpp"

namespace edgegw::analytics {
namespace {

using checkpoint::DeviceLimits;
using checkpoint::kHeaderBytes;
using checkpoint::kMaxNameBytes;
using checkpoint::Reader;
using checkpoint::Writer;

// Per profile, computed once per call: its fingerprint and what its devices may hold.
struct ProfileInfo {
  CompiledProfile* profile = nullptr;
  std::uint64_t fingerprint = 0;
  DeviceLimits limits;
};

std::vector<ProfileInfo> profile_infos(
    const std::vector<std::unique_ptr<CompiledProfile>>& profiles, const AnalyticsConfig& config) {
  std::vector<ProfileInfo> infos;
  for (const auto& p : profiles) {
    infos.push_back(ProfileInfo{p.get(), checkpoint::fingerprint(p->config, config),
                                checkpoint::device_limits(*p, config.max_sensors_per_device)});
  }
  return infos;
}

const ProfileInfo* info_of(const std::vector<ProfileInfo>& infos, const CompiledProfile* p) {
  for (const ProfileInfo& info : infos) {
    if (info.profile == p) {
      return &info;
    }
  }
  return nullptr;
}

const ProfileInfo* info_named(const std::vector<ProfileInfo>& infos, std::string_view name) {
  for (const ProfileInfo& info : infos) {
    if (info.profile->name == name) {
      return &info;
    }
  }
  return nullptr;
}

// Devices with a name longer than a reader accepts are left out (they learn again).
bool saveable(const DeviceState& d) {
  return d.name.size() <= kMaxNameBytes && d.profile->name.size() <= kMaxNameBytes &&
         std::all_of(d.sensors.begin(), d.sensors.end(),
                     [](const SensorState& s) { return s.name.size() <= kMaxNameBytes; });
}

std::uint32_t u32_at(std::string_view bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return v;
}

std::uint64_t u64_at(std::string_view bytes, std::size_t at) {
  return u32_at(bytes, at) | (static_cast<std::uint64_t>(u32_at(bytes, at + 4)) << 32);
}

// a - b >= limit, without overflow whatever the (untrusted) times are.
bool at_least_apart(std::int64_t a, std::int64_t b, std::int64_t limit) {
  return a > b && static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b) >=
                      static_cast<std::uint64_t>(limit);
}

}  // namespace

std::string Engine::checkpoint() const {
  const Impl& m = *impl_;
  const std::vector<ProfileInfo> infos = profile_infos(m.profiles, m.config);
  std::vector<const DeviceState*> order;
  order.reserve(m.devices.size());
  for (const auto& [name, d] : m.devices) {
    if (saveable(d)) {
      order.push_back(&d);
    }
  }
  // By name, so that the same state gives the same bytes whatever the hash order.
  std::sort(order.begin(), order.end(),
            [](const DeviceState* a, const DeviceState* b) { return a->name < b->name; });

  Writer w;
  w.raw(std::string_view(checkpoint::kMagic, sizeof checkpoint::kMagic));
  w(checkpoint::kFormatVersion, std::uint32_t{0}, std::uint64_t{0}, std::uint32_t{0},
    std::uint32_t{0});
  // The gauges are recomputed by restore() (the bytes held depend on vector capacities).
  EngineStats stats = m.stats;
  stats.devices_tracked = 0;
  stats.state_bytes = 0;
  checkpoint::encode_stats(w, stats);
  w(static_cast<std::uint32_t>(order.size()));
  for (const DeviceState* d : order) {
    const ProfileInfo* info = info_of(infos, d->profile);
    const std::size_t at = w.size();
    w(std::uint32_t{0});
    w.str(d->name, kMaxNameBytes);
    w.str(d->profile->name, kMaxNameBytes);
    w(info->fingerprint);
    checkpoint::encode_device(w, *d, info->limits);
    w.patch_u32(at, static_cast<std::uint32_t>(w.size() - at - 4));
  }

  std::string& bytes = w.bytes();
  const std::uint64_t payload = bytes.size() - kHeaderBytes;
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[16 + i] = static_cast<char>((payload >> (8 * i)) & 0xFFU);
  }
  w.patch_u32(24, crc32c(bytes.data() + kHeaderBytes, payload));
  w.patch_u32(28, crc32c(bytes.data(), 28));
  return std::move(bytes);
}

RestoreResult Engine::restore(std::string_view bytes, std::int64_t now_ms) {
  Impl& m = *impl_;
  RestoreResult result;
  const auto refuse = [&](std::string why) {
    result = RestoreResult{};
    result.reason = std::move(why);
    return result;
  };
  if (bytes.size() < kHeaderBytes) {
    return refuse("truncated: " + std::to_string(bytes.size()) +
                  " bytes, less than the 32-byte header");
  }
  if (std::memcmp(bytes.data(), checkpoint::kMagic, sizeof checkpoint::kMagic) != 0) {
    return refuse("not an analytics checkpoint (wrong magic)");
  }
  if (crc32c(bytes.data(), 28) != u32_at(bytes, 28)) {
    return refuse("damaged header (CRC mismatch)");
  }
  const std::uint32_t version = u32_at(bytes, 8);
  if (version != checkpoint::kFormatVersion) {
    return refuse("format version " + std::to_string(version) + ", this build reads version " +
                  std::to_string(checkpoint::kFormatVersion));
  }
  if (u32_at(bytes, 12) != 0) {
    return refuse("unknown flags in the header");
  }
  const std::uint64_t payload = u64_at(bytes, 16);
  if (payload != bytes.size() - kHeaderBytes) {
    return refuse(payload > bytes.size() - kHeaderBytes
                      ? "truncated: " + std::to_string(bytes.size() - kHeaderBytes) + " of " +
                            std::to_string(payload) + " payload bytes"
                      : std::to_string(bytes.size() - kHeaderBytes - payload) +
                            " bytes after the end of the checkpoint");
  }
  if (bytes.size() > checkpoint_size_limit()) {
    return refuse("larger than this config's devices could be");
  }
  const std::string_view body = bytes.substr(kHeaderBytes);
  if (crc32c(body.data(), body.size()) != u32_at(bytes, 24)) {
    return refuse("damaged (CRC mismatch)");
  }

  const std::vector<ProfileInfo> infos = profile_infos(m.profiles, m.config);
  Reader r(body);
  EngineStats stats;
  checkpoint::decode_stats(r, stats);
  const std::uint32_t count = r.count(UINT32_MAX, 4, "the devices");
  decltype(m.devices) devices;
  for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
    const std::uint32_t record = r.count(UINT32_MAX, 1, "a device record");
    if (!r.ok()) {
      break;
    }
    Reader dr(body.substr(r.position(), record));
    r.skip(record);
    dr.set_context("device #" + std::to_string(i + 1));
    std::string name;
    std::string profile;
    std::uint64_t fingerprint = 0;
    std::uint32_t sensors = 0;
    dr.str(name, kMaxNameBytes);
    dr.str(profile, kMaxNameBytes);
    dr(fingerprint);
    if (!dr.ok()) {
      return refuse(dr.error());
    }
    if (devices.find(name) != devices.end()) {
      return refuse("device '" + name + "' is there twice");
    }
    const ProfileInfo* info = info_named(infos, profile);
    if (info == nullptr || info->fingerprint != fingerprint) {
      ++result.devices_dropped;  // its profile is gone or changed: it learns again
      continue;
    }
    Reader peek = dr;  // the device's first field is its number of sensors
    peek(sensors);
    if (devices.size() >= m.config.max_devices || sensors > m.config.max_sensors_per_device) {
      ++result.devices_dropped;  // the config's limits went down
      continue;
    }
    DeviceState d;
    d.name = std::move(name);
    d.profile = info->profile;
    dr.set_context("device '" + d.name + "'");
    checkpoint::decode_device(dr, d, info->limits);
    if (dr.ok() && dr.remaining() != 0) {
      dr.fail(std::to_string(dr.remaining()) + " bytes left over in its record");
    }
    if (!dr.ok()) {
      return refuse(dr.error());
    }
    if (at_least_apart(now_ms, d.last_arrival_ms, m.config.idle_eviction_ms)) {
      ++result.devices_expired;  // the next tick evicts it, clearing its open alerts
    } else {
      // The gateway saw nothing while it was down: silence is measured from now.
      d.last_arrival_ms = std::max(d.last_arrival_ms, now_ms);
    }
    // Windows closed early (at shutdown, or when the device went quiet) take samples
    // again up to the watermark, as they would after a restart without a checkpoint:
    // else the samples that follow a quick restart would be late for the detectors.
    if (d.clock.started) {
      d.clock.closed_until_ms = std::min(
          d.clock.closed_until_ms,
          window_start(d.clock.max_event_ms - m.config.allowed_lateness_ms, m.config.window_ms));
    }
    std::string key = d.name;
    devices.emplace(std::move(key), std::move(d));
  }
  if (r.ok() && r.remaining() != 0) {
    r.fail(std::to_string(r.remaining()) + " bytes after the last device");
  }
  if (!r.ok()) {
    return refuse(r.error());
  }

  m.devices = std::move(devices);
  m.stats = stats;
  m.stats.devices_tracked = m.devices.size();
  m.stats.state_bytes = 0;
  for (auto& [name, d] : m.devices) {
    m.resolve_thresholds(d, nullptr);
    d.bytes = 0;
    m.account(d);
  }
  result.restored = true;
  result.devices_restored = m.devices.size();
  return result;
}

std::uint64_t Engine::checkpoint_size_limit() const {
  const Impl& m = *impl_;
  std::uint64_t device = 0;
  for (const ProfileInfo& info : profile_infos(m.profiles, m.config)) {
    device = std::max(device, checkpoint::max_device_bytes(info.limits));
  }
  constexpr std::uint64_t kFixed = kHeaderBytes + sizeof(EngineStats) + 4;
  return kFixed + static_cast<std::uint64_t>(m.config.max_devices) * device;
}

}  // namespace edgegw::analytics
