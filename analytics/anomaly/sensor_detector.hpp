#pragma once
// A per-sensor detector as a unit, and the list of them the engine walks.
//
// A unit is one class that holds all the engine knows of one detector that scores each
// value of a sensor on its own (ewma_detector.hpp is the smallest example):
//
//   using Config = ...;  // its section of ProfileConfig, a public value type with
//                        // `enabled`, `sensors` and `severity`
//   using State = ...;   // what it keeps per sensor it watches
//   static constexpr DetectorKind kKind;                  // its name in scores and alerts
//   static const Config& config_of(const ProfileConfig&);
//   static void validate(const Config&, ConfigChecker&);  // "key: problem" sentences
//   static AlertParameters alert_parameters(const Config&);  // echoed in its alerts
//   template <class W> static void fingerprint(W&, const Config&);  // settings beyond
//                                                     // `enabled` and `sensors`
//   explicit Unit(const Config&);
//   State make_state() const;                             // for a newly watched sensor
//   Score score(State&, double value, std::int64_t event_ms, bool learn);
//   template <class Io, class S> void state_fields(Io&, S& state) const;  // checkpoint
// and, where it has something to say:
//   static std::uint64_t heap_bytes(const State&);        // memory beyond sizeof(State)
//   bool state_fits(const State&, bool watched) const;    // a restored state is usable
//   std::uint64_t max_saved_bytes() const;  // checkpoint bytes beyond the fixed fields
//   static std::int64_t evidence_window_ms(const State&, std::int64_t event_ms);
//   static constexpr bool kReferenceDistribution = false;  // its p-values are always 1
//
// Every unit's alerts are gated per sample the same way (AlertGate::on_ratio over its
// sensors' highest ratio) and carry the same evidence (the sensors over threshold), so
// none of that is repeated per unit. The list is a template over the units' types, not
// a vector of interfaces: the calls per value are direct and inlined, so a detector
// costs what its statistics cost.

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "anomaly/config_checker.hpp"
#include "anomaly/score.hpp"
#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/analytics/engine.hpp"

namespace edgegw::analytics {

using AlertParameters = std::vector<std::pair<std::string, double>>;

// What the device keeps per sensor for one unit: its state and its latest verdict.
template <typename Unit>
struct SensorSlot {
  typename Unit::State state;
  Score verdict;  // the latest value's score (not ready until the unit has scored one)
};

// A detector's `sensors` list: empty watches every sensor.
bool lists_sensor(const std::vector<std::string>& sensors, const std::string& sensor);

template <typename... Units>
class SensorDetectorList {
 public:
  static constexpr std::size_t kCount = sizeof...(Units);
  // Which units watch a sensor: one bit per unit, in list order (saved in checkpoints).
  using Watched = std::uint8_t;
  static_assert(kCount <= 8 * sizeof(Watched), "one bit per unit in Watched");
  // A sensor's slots, one per unit in list order.
  using Slots = std::tuple<SensorSlot<Units>...>;

  explicit SensorDetectorList(const ProfileConfig& p) : units_(Units(Units::config_of(p))...) {}

  // The units that watch `sensor` (enabled and listed); none watch the operating state.
  static Watched watching(const ProfileConfig& p, const std::string& sensor,
                          bool is_operating_state) {
    Watched watched = 0;
    if (!is_operating_state) {
      for_each_type([&](auto unit, std::size_t i) {
        using U = typename decltype(unit)::type;
        const auto& c = U::config_of(p);
        if (c.enabled && lists_sensor(c.sensors, sensor)) {
          watched |= static_cast<Watched>(1U << i);
        }
      });
    }
    return watched;
  }
  static bool watches(Watched watched, std::size_t unit) { return (watched >> unit & 1U) != 0; }

  // f(unit, slot, index) for every unit, in list order, with the sensor's slot of it; the
  // index is a std::integral_constant (usable as a template argument).
  template <typename F>
  void each(Slots& slots, F&& f) {
    each_slot(*this, slots, f, std::index_sequence_for<Units...>{});
  }
  template <typename F>
  void each(const Slots& slots, F&& f) const {
    each_slot(*this, slots, f, std::index_sequence_for<Units...>{});
  }
  template <typename F>
  void each(Slots& slots, F&& f) const {
    each_slot(*this, slots, f, std::index_sequence_for<Units...>{});
  }
  // f(unit, index) for every unit, in list order.
  template <typename F>
  void each_unit(F&& f) const {
    each_of(*this, f, std::index_sequence_for<Units...>{});
  }
  // f(std::type_identity<Unit>, index) for every unit type, in list order.
  template <typename F>
  static void for_each_type(F&& f) {
    each_type(f, std::index_sequence_for<Units...>{});
  }

 private:
  template <typename Self, typename F, std::size_t... I>
  static void each_of(Self& self, F& f, std::index_sequence<I...>) {
    (f(std::get<I>(self.units_), std::integral_constant<std::size_t, I>{}), ...);
  }
  template <typename Self, typename S, typename F, std::size_t... I>
  static void each_slot(Self& self, S& slots, F& f, std::index_sequence<I...>) {
    (f(std::get<I>(self.units_), std::get<I>(slots), std::integral_constant<std::size_t, I>{}),
     ...);
  }
  template <typename F, std::size_t... I>
  static void each_type(F& f, std::index_sequence<I...>) {
    (f(std::type_identity<Units>{}, std::integral_constant<std::size_t, I>{}), ...);
  }

  std::tuple<Units...> units_;
};

// Optional parts of a unit, with what a unit that lacks them means.
template <typename Unit>
std::uint64_t heap_bytes(const typename Unit::State& s) {
  if constexpr (requires { Unit::heap_bytes(s); }) {
    return Unit::heap_bytes(s);
  } else {
    return 0;
  }
}

template <typename Unit>
bool state_fits(const Unit& unit, const typename Unit::State& s, bool watched) {
  if constexpr (requires { unit.state_fits(s, watched); }) {
    return unit.state_fits(s, watched);
  } else {
    return true;
  }
}

template <typename Unit>
std::uint64_t max_saved_bytes(const Unit& unit) {
  if constexpr (requires { unit.max_saved_bytes(); }) {
    return unit.max_saved_bytes();
  } else {
    return 0;
  }
}

template <typename Unit>
constexpr bool reference_distribution() {
  if constexpr (requires { Unit::kReferenceDistribution; }) {
    return Unit::kReferenceDistribution;
  } else {
    return true;
  }
}

template <typename Unit>
std::int64_t evidence_window_ms(const typename Unit::State& s, std::int64_t event_ms) {
  if constexpr (requires { Unit::evidence_window_ms(s, event_ms); }) {
    return Unit::evidence_window_ms(s, event_ms);
  } else {
    return 0;
  }
}

}  // namespace edgegw::analytics
