// A device's own word that it went offline or came back (Engine::on_presence): its
// `offline` alert, raised by a death certificate and cleared by a birth or by data.

#include <algorithm>

#include "anomaly/engine_impl.hpp"

namespace edgegw::analytics {
namespace {

constexpr auto kOffline = static_cast<std::size_t>(DetectorKind::offline);
constexpr auto kSilence = static_cast<std::size_t>(DetectorKind::silence);

// "death_certificate, group=plant, edge_node=node1, message=DDEATH, device=pump-1": the
// change's reason and evidence, for the operator's sentence.
std::string describe(const PresenceChange& change) {
  std::string text = change.reason;
  for (const auto& [name, value] : change.evidence) {
    text.append(text.empty() ? "" : ", ").append(name).append("=").append(value);
  }
  return text;
}

void annotate(Alert& a, const PresenceChange& change) {
  a.reason = change.reason;
  a.context = change.evidence;
  a.message += " (" + describe(change) + ")";
}

}  // namespace

// The offline detector's `event`; the alert it makes, if any, says what the device said.
void Engine::Impl::emit_presence_alert(DeviceState& d, GateEvent event,
                                       const PresenceChange& change, std::int64_t now_ms,
                                       Output& out) {
  const std::size_t first = out.alerts.size();
  emit_detector_alert(d, DetectorKind::offline, event, now_ms, out);
  if (out.alerts.size() > first) {
    annotate(out.alerts.back(), change);
  }
}

void Engine::Impl::clear_offline(DeviceState& d, std::int64_t now_ms, std::string_view why,
                                 Output& out) {
  const std::size_t first = out.alerts.size();
  emit_detector_alert(d, DetectorKind::offline, AlertGate::close(d.gates[kOffline]), now_ms, out);
  if (out.alerts.size() > first && !why.empty()) {
    out.alerts.back().message.append(" (").append(why).append(")");
  }
}

void Engine::on_presence(const PresenceChange& change, std::string_view profile,
                         std::int64_t now_ms, Output& out) {
  Impl& m = *impl_;
  out.missing_meta.clear();
  if (change.presence == Presence::online) {
    const auto it = m.devices.find(std::string_view(change.device));
    if (it == m.devices.end()) {
      return;  // nothing of it is open
    }
    DeviceState& d = it->second;
    m.emit_presence_alert(d, AlertGate::close(d.gates[kOffline]), change, now_ms, out);
    return;
  }
  DeviceState* d = m.device_for(change.device, profile, out);
  if (d == nullptr || d->gates[kSilence].open) {
    return;  // refused (max_devices), or its silence alert says it is gone already
  }
  if (d->arrivals == 0) {
    // Taken up by its death: idle from now, not since the epoch (eviction would close
    // the alert at the next tick).
    d->last_arrival_ms = std::max(d->last_arrival_ms, now_ms);
  }
  const GateEvent event = m.gate.on_condition(d->gates[kOffline], true, false, 1.0, now_ms);
  m.emit_presence_alert(*d, event, change, now_ms, out);
}

}  // namespace edgegw::analytics
