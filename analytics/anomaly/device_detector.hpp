#pragma once
// A device-level detector as a unit, and the list of them the engine walks.
//
// A device-level detector scores the device as a whole once per sample, after its
// readings went through the per-sensor detectors (sensor_detector.hpp); one unit may
// raise alerts under more than one name (the multivariate model: mahalanobis and pca).
// A unit provides (multivariate_detector.hpp is the example):
//
//   using Config = ...;  // its section of ProfileConfig, a public value type
//   using State = ...;   // what it keeps per device
//   static constexpr std::array<DetectorKind, N> kKinds;     // the alerts it raises
//   static const Config& config_of(const ProfileConfig&);
//   static void validate(const Config&, ConfigChecker&);      // "key: problem" sentences
//   static AlertParameters alert_parameters(const Config&);   // echoed in its alerts
//   template <class W> static void fingerprint(W&, const Config&);  // all its settings
//   Unit(const ProfileConfig&, const DeviceDetectorLimits&);
//   void on_sensor_added(State&, const std::vector<SensorState>&) const;
//   void score(State&, const std::vector<SensorState>&, bool learn, Output&);
//   template <class F> void each_verdict(const State&, F&& f) const;  // f(kind, Score)
//   void describe(const State&, DetectorKind, const std::vector<SensorState>&,
//                 std::string_view verb, Alert&) const;  // an alert's evidence and message
//   template <class Io, class S> void state_fields(Io&, S&, std::size_t sensors) const;
//   static std::uint64_t heap_bytes(const State&);
//   static std::uint64_t max_saved_bytes(std::uint32_t max_sensors);
//
// Each of its verdicts is gated per sample like a per-sensor detector's (on_ratio).

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::analytics {

struct SensorState;  // device_state.hpp

// What a device-level detector may need to know of the engine's bounds.
struct DeviceDetectorLimits {
  int max_sensors = 0;  // per device
};

template <typename... Units>
class DeviceDetectorList {
 public:
  // A device's states, one per unit in list order.
  using States = std::tuple<typename Units::State...>;

  DeviceDetectorList(const ProfileConfig& p, const DeviceDetectorLimits& limits)
      : units_(Units(p, limits)...) {}

  // f(unit, state, index) for every unit, in list order, with the device's state of it.
  template <typename F>
  void each(States& states, F&& f) {
    each_state(*this, states, f, std::index_sequence_for<Units...>{});
  }
  template <typename F>
  void each(const States& states, F&& f) const {
    each_state(*this, states, f, std::index_sequence_for<Units...>{});
  }
  template <typename F>
  void each(States& states, F&& f) const {
    each_state(*this, states, f, std::index_sequence_for<Units...>{});
  }
  // The unit at `index` in the list.
  template <std::size_t kIndex>
  [[nodiscard]] const auto& unit() const {
    return std::get<kIndex>(units_);
  }
  // f(std::type_identity<Unit>, index) for every unit type, in list order.
  template <typename F>
  static void for_each_type(F&& f) {
    each_type(f, std::index_sequence_for<Units...>{});
  }

 private:
  template <typename Self, typename S, typename F, std::size_t... I>
  static void each_state(Self& self, S& states, F& f, std::index_sequence<I...>) {
    (f(std::get<I>(self.units_), std::get<I>(states), std::integral_constant<std::size_t, I>{}),
     ...);
  }
  template <typename F, std::size_t... I>
  static void each_type(F& f, std::index_sequence<I...>) {
    (f(std::type_identity<Units>{}, std::integral_constant<std::size_t, I>{}), ...);
  }

  std::tuple<Units...> units_;
};

}  // namespace edgegw::analytics
