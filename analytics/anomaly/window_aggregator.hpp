#pragma once
// Tumbling windows by event time, per sensor, with allowed lateness.
//
// A window [start, start + length) closes when the device's watermark (its latest event
// time minus the allowed lateness) passes its end, or when the device has been quiet
// long enough (close_all). A sample whose window has already closed is late: it is
// dropped from the aggregates and counted. A few windows can be open at once (the
// lateness spans at most kMaxOpenWindows - 1 window lengths); the slots are inline, so a
// sensor's window state never allocates.

#include <array>
#include <cstdint>

namespace edgegw::analytics {

inline constexpr int kMaxOpenWindows = 4;

struct WindowSlot {
  bool open = false;
  std::int64_t start_ms = 0;
  std::uint64_t count = 0;
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double m2 = 0.0;  // Welford: sum of squared deviations from the mean
  double last = 0.0;
  std::int64_t last_ms = 0;
};

struct SensorWindows {
  std::array<WindowSlot, kMaxOpenWindows> slots;
};

// The per-device clock of the windows: how far event time has progressed.
struct WindowClock {
  bool started = false;
  std::int64_t max_event_ms = 0;
  std::int64_t closed_until_ms = 0;  // every window ending at or before this is closed
};

// Floor division to a window boundary, correct for negative times too.
std::int64_t window_start(std::int64_t t_ms, std::int64_t length_ms);

enum class AddResult { added, late, no_slot };

// Adds a finite value to the window holding event_ms.
AddResult add_to_window(SensorWindows& w, const WindowClock& clock, std::int64_t length_ms,
                        std::int64_t event_ms, double value);

// Advances the clock with a new event time; returns true when windows may now close.
bool advance_clock(WindowClock& clock, std::int64_t event_ms, std::int64_t length_ms,
                   std::int64_t lateness_ms);

// Calls emit(slot) for every open slot ending at or before closed_until_ms, oldest
// first, and frees it.
template <typename Emit>
void close_windows(SensorWindows& w, std::int64_t closed_until_ms, std::int64_t length_ms,
                   Emit&& emit) {
  for (;;) {
    WindowSlot* oldest = nullptr;
    for (WindowSlot& s : w.slots) {
      if (s.open && s.start_ms + length_ms <= closed_until_ms &&
          (oldest == nullptr || s.start_ms < oldest->start_ms)) {
        oldest = &s;
      }
    }
    if (oldest == nullptr) {
      return;
    }
    emit(static_cast<const WindowSlot&>(*oldest));
    oldest->open = false;
  }
}

}  // namespace edgegw::analytics
