#include "anomaly/alert_gate.hpp"

namespace edgegw::analytics {

GateEvent AlertGate::maybe_update(GateState& g, double ratio, std::int64_t t_ms) const {
  if (ratio > g.reported_ratio && t_ms - g.last_emit_ms >= update_interval_ms_) {
    g.last_emit_ms = t_ms;
    g.reported_ratio = ratio;
    return GateEvent::update;
  }
  return GateEvent::none;
}

GateEvent AlertGate::on_ratio(GateState& g, double ratio, std::int64_t t_ms) const {
  if (!g.open) {
    if (ratio >= 1.0) {
      g.open = true;
      g.raised_ms = t_ms;
      g.last_emit_ms = t_ms;
      g.reported_ratio = ratio;
      g.quiet = 0;
      return GateEvent::raise;
    }
    return GateEvent::none;
  }
  if (ratio < kClearRatio) {
    if (++g.quiet >= clear_after_) {
      g.open = false;
      g.quiet = 0;
      return GateEvent::clear;
    }
    return GateEvent::none;
  }
  g.quiet = 0;
  return maybe_update(g, ratio, t_ms);
}

GateEvent AlertGate::on_condition(GateState& g, bool raise, bool clear, double ratio,
                                  std::int64_t t_ms) const {
  if (!g.open) {
    if (raise) {
      g.open = true;
      g.raised_ms = t_ms;
      g.last_emit_ms = t_ms;
      g.reported_ratio = ratio;
      return GateEvent::raise;
    }
    return GateEvent::none;
  }
  if (clear) {
    g.open = false;
    return GateEvent::clear;
  }
  return maybe_update(g, ratio, t_ms);
}

GateEvent AlertGate::close(GateState& g) {
  if (!g.open) {
    return GateEvent::none;
  }
  g.open = false;
  g.quiet = 0;
  return GateEvent::clear;
}

}  // namespace edgegw::analytics
