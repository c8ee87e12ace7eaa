#include <catch2/catch.hpp>

#include <cstddef>
#include <map>

#include "anomaly/detector_registry.hpp"
#include "edgegw/analytics/engine.hpp"

using namespace edgegw::analytics;

TEST_CASE("every detector name but silence and offline belongs to exactly one detector unit",
          "[unit]") {
  std::map<DetectorKind, int> units_raising;
  SensorDetectors::for_each_type(
      [&](auto unit, auto) { ++units_raising[decltype(unit)::type::kKind]; });
  DeviceDetectors::for_each_type([&](auto unit, auto) {
    for (const DetectorKind kind : decltype(unit)::type::kAlertKinds) {
      ++units_raising[kind];
    }
  });
  for (std::size_t k = 0; k < kDetectorKinds; ++k) {
    const auto kind = static_cast<DetectorKind>(k);
    INFO(detector_name(kind));
    // Silence and offline are the engine's own: about arrivals and presence, not values.
    const bool engines_own = kind == DetectorKind::silence || kind == DetectorKind::offline;
    CHECK(units_raising[kind] == (engines_own ? 0 : 1));
  }
}

TEST_CASE("only the detectors with a reference distribution count in the p-value", "[unit]") {
  CHECK_FALSE(has_reference_distribution(DetectorKind::stuck));
  for (const DetectorKind kind : {DetectorKind::ewma, DetectorKind::mad, DetectorKind::rate,
                                  DetectorKind::mahalanobis, DetectorKind::pca}) {
    CHECK(has_reference_distribution(kind));
  }
}
