#pragma once
// Finding operating regimes in training data: k-means (k-means++ seeding, several
// restarts) on standardized operating settings, with k chosen automatically as the
// smallest k whose within-cluster spread is under 0.1% of the total (distinct operating
// points); data with one noisy operating point keeps one regime.

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "edgegw/analytics/maintenance_model.hpp"

namespace edgegw::analytics {

// settings: rows × settings (may have zero columns); sensors: rows × sensors.
[[nodiscard]] OperatingRegimes fit_operating_regimes(const Eigen::MatrixXd& settings,
                                                     const Eigen::MatrixXd& sensors,
                                                     std::vector<std::string> setting_names,
                                                     int max_regimes, std::uint64_t seed);

// The regime of each row under fitted regimes.
[[nodiscard]] std::vector<int> assign_regimes(const OperatingRegimes& regimes,
                                              const Eigen::MatrixXd& settings);

}  // namespace edgegw::analytics
