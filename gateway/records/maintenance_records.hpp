#pragma once
// The predictions record (schema docs/schemas/prediction.schema.json). Maintenance
// alerts are analytics::Alerts like any other (records/analytics_encoding.hpp).

#include <string>
#include <string_view>

#include "edgegw/analytics/maintenance_prediction.hpp"

namespace edgegw::records {

inline constexpr std::string_view kPredictionSchema = "edgegw.prediction/v1";

std::string encode_prediction(const analytics::Prediction& p, std::string_view gateway_id);

}  // namespace edgegw::records
