#pragma once
// Where a feature spec's sensors and settings sit among a dataset's columns.

#include <stdexcept>
#include <string>
#include <vector>

#include "edgegw/analytics/maintenance_model.hpp"

namespace edgegw::analytics {

struct RunColumns {
  std::vector<std::size_t> sensors;
  std::vector<std::size_t> settings;

  void gather(const std::vector<double>& row, double* sensor_out, double* setting_out) const {
    for (std::size_t i = 0; i < sensors.size(); ++i) {
      sensor_out[i] = row[sensors[i]];
    }
    for (std::size_t i = 0; i < settings.size(); ++i) {
      setting_out[i] = row[settings[i]];
    }
  }
};

inline std::size_t column_index(const std::vector<std::string>& columns, const std::string& name) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) {
      return i;
    }
  }
  std::string known;
  for (const std::string& c : columns) {
    known += (known.empty() ? "" : ", ") + c;
  }
  throw std::invalid_argument("column '" + name + "' is not in the data (columns: " + known + ")");
}

inline RunColumns resolve_columns(const std::vector<std::string>& columns,
                                  const FeatureSpec& spec) {
  RunColumns rc;
  for (const std::string& s : spec.sensors) {
    rc.sensors.push_back(column_index(columns, s));
  }
  for (const std::string& s : spec.regimes.settings) {
    rc.settings.push_back(column_index(columns, s));
  }
  return rc;
}

}  // namespace edgegw::analytics
