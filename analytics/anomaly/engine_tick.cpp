// The engine's time-driven work: closing windows, silence, idle eviction, flush.

#include <algorithm>
#include <cmath>

#include "anomaly/engine_impl.hpp"

namespace edgegw::analytics {

void Engine::Impl::close_windows_until(DeviceState& d, std::int64_t closed_until_ms, Output& out) {
  const std::int64_t length = config.window_ms;
  for (SensorState& s : d.sensors) {
    close_windows(s.windows, closed_until_ms, length, [&](const WindowSlot& w) {
      Aggregate& a = out.aggregates.emplace_back();
      a.device = d.name;
      a.sensor = s.name;
      a.window_start_ms = w.start_ms;
      a.window_end_ms = w.start_ms + length;
      a.count = w.count;
      a.min = w.min;
      a.max = w.max;
      a.mean = w.mean;
      a.stddev = w.count > 1 ? std::sqrt(w.m2 / static_cast<double>(w.count - 1)) : 0.0;
      a.last = w.last;
      ++stats.aggregates;
    });
  }
}

void Engine::Impl::close_all_windows(DeviceState& d, Output& out) {
  if (!d.clock.started) {
    return;
  }
  // Everything up to the end of the newest window closes; later samples for those
  // windows are late, as they would be had the watermark passed.
  const std::int64_t end = window_start(d.clock.max_event_ms, config.window_ms) + config.window_ms;
  d.clock.closed_until_ms = std::max(d.clock.closed_until_ms, end);
  close_windows_until(d, d.clock.closed_until_ms, out);
}

void Engine::Impl::check_silence(DeviceState& d, std::int64_t now_ms, Output& out) {
  const SilenceConfig& sc = d.profile->config.silence;
  // The device said it is gone (its offline alert is open): silence would repeat it.
  const bool known_offline = d.gates[static_cast<std::size_t>(DetectorKind::offline)].open;
  if (!sc.enabled || known_offline || d.arrivals < std::max<std::uint32_t>(sc.warmup, 2)) {
    return;
  }
  const double limit =
      std::max(sc.intervals * d.interval_ms, static_cast<double>(sc.min_silence_ms));
  const double silent = static_cast<double>(now_ms - d.last_arrival_ms);
  const double ratio = silent / limit;
  const auto slot = static_cast<std::size_t>(DetectorKind::silence);
  emit_detector_alert(d, DetectorKind::silence,
                      gate.on_condition(d.gates[slot], ratio > 1.0, false, ratio, now_ms), now_ms,
                      out);
}

void Engine::Impl::close_alerts(DeviceState& d, std::int64_t t, std::string_view why, Output& out) {
  const std::size_t first = out.alerts.size();
  for (std::size_t k = 0; k < kDetectorKinds; ++k) {
    emit_detector_alert(d, static_cast<DetectorKind>(k), AlertGate::close(d.gates[k]), t, out);
  }
  for (std::size_t r = 0; r < d.rule_gates.size(); ++r) {
    emit_rule_alert(d, r, AlertGate::close(d.rule_gates[r]), std::nan(""), t, out);
  }
  for (std::size_t i = first; i < out.alerts.size(); ++i) {
    out.alerts[i].message += " (";
    out.alerts[i].message += why;
    out.alerts[i].message += ")";
  }
}

void Engine::on_tick(std::int64_t now_ms, Output& out) {
  Impl& m = *impl_;
  const std::int64_t quiet_close = m.config.window_ms + m.config.allowed_lateness_ms;
  for (auto it = m.devices.begin(); it != m.devices.end();) {
    DeviceState& d = it->second;
    const std::int64_t idle = now_ms - d.last_arrival_ms;
    if (idle >= m.config.idle_eviction_ms) {
      m.close_all_windows(d, out);
      m.close_alerts(d, now_ms, "device state evicted after idle time", out);
      m.stats.state_bytes -= d.bytes;
      ++m.stats.devices_evicted;
      it = m.devices.erase(it);
      continue;
    }
    if (idle >= quiet_close) {
      m.close_all_windows(d, out);
    }
    m.check_silence(d, now_ms, out);
    ++it;
  }
  m.stats.devices_tracked = m.devices.size();
}

void Engine::flush(Output& out) {
  // Deterministic output order regardless of the hash map's iteration order.
  std::vector<DeviceState*> order;
  order.reserve(impl_->devices.size());
  for (auto& [name, d] : impl_->devices) {
    order.push_back(&d);
  }
  std::sort(order.begin(), order.end(),
            [](const DeviceState* a, const DeviceState* b) { return a->name < b->name; });
  for (DeviceState* d : order) {
    impl_->close_all_windows(*d, out);
  }
}

}  // namespace edgegw::analytics
