#pragma once
// A device-level detector as a unit, and the list of them the engine walks.
//
// A device-level detector scores the device as a whole once per sample, after its
// readings went through the per-sensor detectors (sensor_detector.hpp). It may keep a
// part per sensor and see each reading, and may raise alerts under more than one name
// (the multivariate model: mahalanobis and pca). A unit provides
// (multivariate_detector.hpp and anomaly_detector.hpp are the examples):
//
//   using Config = ...;  // its section of ProfileConfig, a public value type
//   using State = ...;   // what it keeps per device
//   static constexpr std::array<DetectorKind, N> kAlertKinds;  // the alerts it raises
//   static constexpr std::array<DetectorKind, M> kScoreKinds;  // its Output::scores
//   static const Config& config_of(const ProfileConfig&);
//   static void validate(const Config&, ConfigChecker&);      // "key: problem" sentences
//   static AlertParameters alert_parameters(const Config&);   // echoed in its alerts
//   template <class W> static void fingerprint(W&, const Config&);  // all its settings
//   Unit(const ProfileConfig&, const EngineSettings&);
//   void on_sensor_added(State&, const std::vector<SensorState>&) const;
//   void score(State&, const std::vector<SensorState>&, const SampleContext&,
//              AlertChannel&, Output&);                       // once per sample
//   template <class F> void each_verdict(const State&, F&& f) const;  // f(kind, Score)
//   void describe(const State&, DetectorKind, const std::vector<SensorState>&,
//                 std::string_view verb, const GateState&, Alert&) const;
//   state_fields(Io&, State&, std::size_t sensors) const;     // checkpoint
//   static std::uint64_t heap_bytes(const State&);
//   std::uint64_t max_saved_bytes(std::uint32_t max_sensors) const;
// and, when it keeps something per sensor:
//   using SensorPart = ...;
//   void add_sensor(SensorPart&, const std::string& sensor) const;
//   void on_reading(State&, SensorPart&, int sensor, double value, std::int64_t event_ms,
//                   bool learn) const;
//   sensor_fields(Io&, SensorPart&) const;                    // checkpoint
//   bool sensor_part_fits(const SensorPart&, const std::string& sensor) const;
//   static std::uint64_t sensor_heap_bytes(const SensorPart&);
//
// Its verdicts (each_verdict) are gated per sample like a per-sensor detector's; a unit
// that decides its alerts itself (the anomaly detector's episodes) goes through the
// AlertChannel in score() instead.

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "anomaly/alert_gate.hpp"
#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/analytics/engine.hpp"

namespace edgegw::analytics {

struct SensorState;  // device_state.hpp

namespace checkpoint {
class Writer;  // checkpoint_io.hpp
class Reader;
}  // namespace checkpoint

// The engine-wide settings a device-level detector may depend on.
struct EngineSettings {
  int max_sensors = 0;                    // per device
  std::uint32_t clear_after_samples = 1;  // quiet samples that clear an alert
};

// What the engine decided about the sample being scored.
struct SampleContext {
  std::int64_t event_ms = 0;
  bool learn = true;   // false after commissioning with a frozen baseline
  bool quiet = false;  // commissioning or settling: nothing but rules and silence alerts
};

// How a unit that decides its own alerts raises them: the gate turns its condition into
// an event (raise, update, clear or none), and emit() publishes it with the unit's
// description, once the unit has updated what the description shows.
class AlertChannel {
 public:
  virtual ~AlertChannel() = default;
  virtual GateEvent on_condition(DetectorKind kind, bool raise, bool clear, double ratio) = 0;
  virtual void emit(DetectorKind kind, GateEvent event) = 0;
};

// The unit's part of a sensor, or nothing.
struct NoSensorPart {};
template <typename Unit>
struct SensorPartOf {
  using type = NoSensorPart;
};
template <typename Unit>
requires requires {
  typename Unit::SensorPart;
}
struct SensorPartOf<Unit> {
  using type = typename Unit::SensorPart;
};
template <typename Unit>
inline constexpr bool kHasSensorPart = requires {
  typename Unit::SensorPart;
};

template <typename... Units>
class DeviceDetectorList {
 public:
  // A device's states, one per unit in list order.
  using States = std::tuple<typename Units::State...>;
  // A sensor's parts, one per unit in list order (NoSensorPart for units without).
  using SensorParts = std::tuple<typename SensorPartOf<Units>::type...>;

  DeviceDetectorList(const ProfileConfig& p, const EngineSettings& settings)
      : units_(Units(p, settings)...) {}

  // f(unit, state, index) for every unit, in list order, with the device's state of it;
  // the index is a std::integral_constant (usable as a template argument).
  template <typename F>
  void each(States& states, F&& f) {
    each_of(*this, states, f, std::index_sequence_for<Units...>{});
  }
  template <typename F>
  void each(const States& states, F&& f) const {
    each_of(*this, states, f, std::index_sequence_for<Units...>{});
  }
  template <typename F>
  void each(States& states, F&& f) const {
    each_of(*this, states, f, std::index_sequence_for<Units...>{});
  }
  // f(unit, index) for every unit, in list order.
  template <typename F>
  void each_unit(F&& f) const {
    each_unit_of(*this, f, std::index_sequence_for<Units...>{});
  }
  // f(unit, part, index) for every unit that keeps a part per sensor, in list order.
  template <typename F>
  void each_sensor_part(SensorParts& parts, F&& f) const {
    each_part(*this, parts, f, std::index_sequence_for<Units...>{});
  }
  template <typename F>
  void each_sensor_part(const SensorParts& parts, F&& f) const {
    each_part(*this, parts, f, std::index_sequence_for<Units...>{});
  }
  // The unit at `index` in the list.
  template <std::size_t kIndex>
  [[nodiscard]] const auto& unit() const {
    return std::get<kIndex>(units_);
  }
  // The unit of type Unit.
  template <typename Unit>
  [[nodiscard]] const Unit& unit_of() const {
    return std::get<Unit>(units_);
  }
  // f(std::type_identity<Unit>, index) for every unit type, in list order.
  template <typename F>
  static void for_each_type(F&& f) {
    each_type(f, std::index_sequence_for<Units...>{});
  }

 private:
  template <typename Self, typename S, typename F, std::size_t... I>
  static void each_of(Self& self, S& states, F& f, std::index_sequence<I...>) {
    (f(std::get<I>(self.units_), std::get<I>(states), std::integral_constant<std::size_t, I>{}),
     ...);
  }
  template <typename Self, typename F, std::size_t... I>
  static void each_unit_of(Self& self, F& f, std::index_sequence<I...>) {
    (f(std::get<I>(self.units_), std::integral_constant<std::size_t, I>{}), ...);
  }
  template <typename Self, typename P, typename F, std::size_t... I>
  static void each_part(Self& self, P& parts, F& f, std::index_sequence<I...>) {
    (
        [&] {
          if constexpr (kHasSensorPart<Units>) {
            f(std::get<I>(self.units_), std::get<I>(parts),
              std::integral_constant<std::size_t, I>{});
          }
        }(),
        ...);
  }
  template <typename F, std::size_t... I>
  static void each_type(F& f, std::index_sequence<I...>) {
    (f(std::type_identity<Units>{}, std::integral_constant<std::size_t, I>{}), ...);
  }

  std::tuple<Units...> units_;
};

}  // namespace edgegw::analytics
