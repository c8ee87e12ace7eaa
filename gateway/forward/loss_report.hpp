#pragma once
// What both forwarders (at_least_once and exactly_once) put on Kafka beside the log's
// own records: the headers that name a record's origin, and the dead-letter record that
// reports a range of the log lost (damaged, dropped, or refused by Kafka for good).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "edgegw/log.hpp"

namespace edgegw::forward {

inline constexpr const char* kGatewayHeader = "edgegw-gateway";
inline constexpr const char* kOffsetHeader = "edgegw-offset";
inline constexpr const char* kTransactionHeader = "edgegw-transaction";
// The tag of records that are not log records (loss reports, health alerts, cursors).
inline constexpr std::uint64_t kNotALogRecord = UINT64_MAX;

// How often the log's loss counters are compared, and the health alerts' timing: no
// loss for kHealthQuiet clears an alert, an open one is updated at most that often.
inline constexpr auto kHealthCheckInterval = std::chrono::seconds(1);
inline constexpr auto kHealthQuiet = std::chrono::minutes(5);
inline constexpr auto kHealthUpdateEvery = std::chrono::seconds(30);

// The loss of one record that Kafka will never take (too large, invalid).
store::DamageReport rejected_by_kafka(std::uint64_t offset, std::string_view why);

// Logs the loss and returns its record for the dead-letter stream, keyed by the gateway.
std::string loss_report_record(const store::DamageReport& damage, const std::string& gateway_id);

}  // namespace edgegw::forward
