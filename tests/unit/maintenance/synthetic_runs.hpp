#pragma once
// Small synthetic run-to-failure histories with a known structure, for the maintenance
// tests: health h = t / life rises from 0 to 1; "wear" grows as h², "flow" falls
// linearly, "noise" carries nothing. With regimes > 1 each row runs in one of several
// operating points (setting "alt"), which shifts every sensor by a large amount.

#include <cmath>
#include <cstdint>
#include <string>

#include "edgegw/analytics/maintenance_dataset.hpp"
#include "maintenance/split_mix.hpp"

namespace edgegw::testing {

inline analytics::RunDataset synthetic_runs(int units, int regimes, std::uint64_t seed) {
  analytics::SplitMix rng(seed);
  analytics::RunDataset data;
  data.columns = {"alt", "wear", "flow", "noise"};
  for (int u = 0; u < units; ++u) {
    analytics::RunHistory run;
    run.unit = "u" + std::to_string(u);
    const int life = 80 + static_cast<int>(rng.below(80));
    for (int t = 1; t <= life; ++t) {
      const double h = static_cast<double>(t) / life;
      const int r =
          regimes > 1 ? static_cast<int>(rng.below(static_cast<std::uint64_t>(regimes))) : 0;
      const double alt = 10.0 * r + 0.01 * rng.normal();
      run.time.push_back(t);
      run.values.push_back({alt, 10.0 + 5.0 * h * h + 50.0 * r + 0.1 * rng.normal(),
                            3.0 - 2.0 * h - 7.0 * r + 0.1 * rng.normal(), rng.normal()});
    }
    data.runs.push_back(std::move(run));
  }
  return data;
}

}  // namespace edgegw::testing
