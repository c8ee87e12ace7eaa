#pragma once
// The one bounded per-device table: the analytics engine, the aggregates forwarding, the
// sequence tracker and the maintenance estimators each keep their per-device state in
// one. A device's entry is created on first sight unless `max_devices` entries exist
// (the refusal is counted and the caller does without), and entries that have seen no
// sample for `idle_ms` are evicted by evict_idle() (counted too), so that a fleet whose
// devices come and go never fills the table for good.
//
// Lookups take a string_view and allocate nothing; only admitting a new device copies
// its name. Not thread-safe: each owner uses it from one thread.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace edgegw {

struct DeviceTableLimits {
  std::size_t max_devices = 10'000;
  // Entries idle this long are evicted by evict_idle(); the maximum means never.
  std::int64_t idle_ms = std::numeric_limits<std::int64_t>::max();
};

struct DeviceTableCounters {
  std::uint64_t admitted = 0;  // entries created
  std::uint64_t refused = 0;   // find_or_admit() calls for a device not admitted (each of
                               // its samples counts) because the table was full
  std::uint64_t evicted = 0;   // entries dropped after their idle time
};

template <class State>
class DeviceTable {
 public:
  struct Entry {
    State state{};
    std::int64_t last_seen_ms = 0;
  };

  explicit DeviceTable(DeviceTableLimits limits = {}) : limits_(limits) {}

  // The device's state, or nullptr when it has none.
  State* find(std::string_view device) {
    const auto it = entries_.find(device);
    return it == entries_.end() ? nullptr : &it->second.state;
  }
  const State* find(std::string_view device) const {
    const auto it = entries_.find(device);
    return it == entries_.end() ? nullptr : &it->second.state;
  }

  // The device's state, created (value-initialised, then passed to `init`) when new;
  // nullptr, counted as refused, when the table is full. Marks the device seen at now_ms.
  template <class Init>
  State* find_or_admit(std::string_view device, std::int64_t now_ms, Init&& init) {
    auto it = entries_.find(device);
    if (it == entries_.end()) {
      if (entries_.size() >= limits_.max_devices) {
        ++counters_.refused;
        return nullptr;
      }
      it = entries_.emplace(std::string(device), Entry{}).first;
      ++counters_.admitted;
      std::forward<Init>(init)(it->first, it->second.state);
    }
    it->second.last_seen_ms = std::max(it->second.last_seen_ms, now_ms);
    return &it->second.state;
  }
  State* find_or_admit(std::string_view device, std::int64_t now_ms) {
    return find_or_admit(device, now_ms, [](const std::string&, State&) {});
  }

  // Evicts every entry not seen for limits().idle_ms, calling on_evict(name, state) first
  // (to close what the state holds open). Returns how many were evicted.
  template <class OnEvict>
  std::size_t evict_idle(std::int64_t now_ms, OnEvict&& on_evict) {
    std::size_t evicted = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (now_ms - it->second.last_seen_ms >= limits_.idle_ms) {
        on_evict(it->first, it->second.state);
        it = entries_.erase(it);
        ++evicted;
      } else {
        ++it;
      }
    }
    counters_.evicted += evicted;
    return evicted;
  }
  std::size_t evict_idle(std::int64_t now_ms) {
    return evict_idle(now_ms, [](const std::string&, State&) {});
  }

  // Forgets the device (its next sighting admits it afresh); false when it had no entry.
  bool erase(std::string_view device) {
    const auto it = entries_.find(device);
    if (it == entries_.end()) {
      return false;
    }
    entries_.erase(it);
    return true;
  }

  // Calls f(name, entry) for every entry, in no particular order.
  template <class F>
  void for_each(F&& f) {
    for (auto& [name, entry] : entries_) {
      f(name, entry);
    }
  }

  void clear() { entries_.clear(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] const DeviceTableLimits& limits() const { return limits_; }
  [[nodiscard]] const DeviceTableCounters& counters() const { return counters_; }

 private:
  // Lets the table be searched with a string_view (no allocation per lookup).
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  DeviceTableLimits limits_;
  DeviceTableCounters counters_;
  std::unordered_map<std::string, Entry, NameHash, std::equal_to<>> entries_;
};

}  // namespace edgegw
