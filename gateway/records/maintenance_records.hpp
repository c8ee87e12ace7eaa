#pragma once
// The predictions record (schema docs/schemas/prediction.schema.json) and a maintenance
// alert as a record of the alerts stream (the same schema as the anomaly alerts, with
// source "maintenance:<model>").

#include <string>
#include <string_view>

#include "edgegw/analytics/maintenance_prediction.hpp"

namespace edgegw::records {

inline constexpr std::string_view kPredictionSchema = "edgegw.prediction/v1";

std::string encode_prediction(const analytics::Prediction& p, std::string_view gateway_id);
std::string encode_maintenance_alert(const analytics::MaintenanceAlert& a,
                                     std::string_view gateway_id);

}  // namespace edgegw::records
