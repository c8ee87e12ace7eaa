#pragma once
// Run-to-failure histories as plain values, the input of training and offline
// evaluation. gateway/models/ reads them from C-MAPSS text files or a generic CSV.

#include <string>
#include <vector>

namespace edgegw::analytics {

// One unit's history: one row per sample (cycle), one value per dataset column.
struct RunHistory {
  std::string unit;
  std::vector<double> time;                 // ascending
  std::vector<std::vector<double>> values;  // row × column; NaN where a value is missing
  // Remaining life at each row. Empty for a run to failure (then it is last time - time);
  // for a truncated run (a test unit), the generic CSV or a RUL file supplies it.
  std::vector<double> rul;

  [[nodiscard]] double rul_at(std::size_t row) const {
    return rul.empty() ? time.back() - time[row] : rul[row];
  }
};

struct RunDataset {
  std::vector<std::string> columns;  // names of the value columns (settings and sensors)
  std::vector<RunHistory> runs;
};

}  // namespace edgegw::analytics
