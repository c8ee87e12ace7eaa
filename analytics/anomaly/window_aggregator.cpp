#include "anomaly/window_aggregator.hpp"

#include <algorithm>

namespace edgegw::analytics {

std::int64_t window_start(std::int64_t t_ms, std::int64_t length_ms) {
  std::int64_t q = t_ms / length_ms;
  if (t_ms % length_ms != 0 && t_ms < 0) {
    --q;
  }
  return q * length_ms;
}

bool advance_clock(WindowClock& clock, std::int64_t event_ms, std::int64_t length_ms,
                   std::int64_t lateness_ms) {
  if (!clock.started) {
    clock.started = true;
    clock.max_event_ms = event_ms;
    clock.closed_until_ms = window_start(event_ms - lateness_ms, length_ms);
    return false;
  }
  if (event_ms <= clock.max_event_ms) {
    return false;
  }
  clock.max_event_ms = event_ms;
  const std::int64_t closed = window_start(event_ms - lateness_ms, length_ms);
  if (closed > clock.closed_until_ms) {
    clock.closed_until_ms = closed;
    return true;
  }
  return false;
}

AddResult add_to_window(SensorWindows& w, const WindowClock& clock, std::int64_t length_ms,
                        std::int64_t event_ms, double value) {
  const std::int64_t start = window_start(event_ms, length_ms);
  if (start + length_ms <= clock.closed_until_ms) {
    return AddResult::late;
  }
  WindowSlot* slot = nullptr;
  for (WindowSlot& s : w.slots) {
    if (s.open && s.start_ms == start) {
      slot = &s;
      break;
    }
  }
  if (slot == nullptr) {
    for (WindowSlot& s : w.slots) {
      if (!s.open) {
        slot = &s;
        *slot = WindowSlot{};
        slot->open = true;
        slot->start_ms = start;
        slot->min = value;
        slot->max = value;
        slot->last_ms = event_ms;
        slot->last = value;
        break;
      }
    }
  }
  if (slot == nullptr) {
    return AddResult::no_slot;
  }
  ++slot->count;
  slot->min = std::min(slot->min, value);
  slot->max = std::max(slot->max, value);
  const double delta = value - slot->mean;
  slot->mean += delta / static_cast<double>(slot->count);
  slot->m2 += delta * (value - slot->mean);
  if (event_ms >= slot->last_ms) {
    slot->last_ms = event_ms;
    slot->last = value;
  }
  return AddResult::added;
}

}  // namespace edgegw::analytics
