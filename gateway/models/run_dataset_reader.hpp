#pragma once
// Readers of run-to-failure histories for training and offline evaluation.
//
//  - C-MAPSS text (NASA turbofan data): space-separated rows of
//    unit cycle setting1 setting2 setting3 s1 ... s21; columns are named that way.
//  - Generic CSV with a header: device,time,<sensor columns...>[,rul]. Rows may be
//    interleaved between devices; each device's rows are ordered by time. Without an
//    `rul` column every device is taken to run to failure at its last row. Empty cells
//    are missing values.
//
// Control path: errors throw std::runtime_error naming file and line.

#include <filesystem>
#include <vector>

#include "edgegw/analytics/maintenance_dataset.hpp"

namespace edgegw::models {

[[nodiscard]] analytics::RunDataset read_cmapss(const std::filesystem::path& path);
[[nodiscard]] analytics::RunDataset read_run_csv(const std::filesystem::path& path);
// By extension: ".csv" is the generic CSV, anything else C-MAPSS text.
[[nodiscard]] analytics::RunDataset read_runs(const std::filesystem::path& path);

// One number per line (C-MAPSS RUL_FDxxx.txt): the remaining life at each unit's last row.
[[nodiscard]] std::vector<double> read_rul_file(const std::filesystem::path& path);
// Sets each run's remaining life from the value at its last row (in run order).
void apply_final_rul(analytics::RunDataset& data, const std::vector<double>& final_rul);

}  // namespace edgegw::models
