#include "records/dead_letter_record.hpp"

#include <nlohmann/json.hpp>

#include "edgegw/base64.hpp"
#include "edgegw/text.hpp"
#include "edgegw/time_format.hpp"
#include "records/record_json.hpp"

namespace edgegw::records {

namespace {

// The size of `text` as a JSON string's contents: what escaping makes of it.
std::size_t json_escaped_size(std::string_view text) {
  std::size_t size = 0;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
      size += 2;
    } else if (u < 0x20) {
      size += 6;  // \u00XX
    } else {
      ++size;
    }
  }
  return size;
}

}  // namespace

std::string encode_dead_letter(const mapping::MapOutcome& outcome, std::string_view topic,
                               std::string_view payload, std::string_view gateway_id,
                               std::int64_t received_ms) {
  nlohmann::json doc;
  doc["schema"] = kDeadLetterSchema;
  doc["gateway"] = gateway_id;
  doc["reason"] =
      outcome.problems.empty() ? "unknown" : mapping::reason_name(outcome.problems.front().reason);
  nlohmann::json& problems = doc["problems"] = nlohmann::json::array();
  for (const mapping::Problem& p : outcome.problems) {
    problems.push_back({{"reason", mapping::reason_name(p.reason)}, {"detail", p.detail}});
  }
  doc["topic"] = topic;
  doc["received"] = received_ms;
  doc["time"] = iso8601_utc(received_ms);
  if (outcome.mapping != nullptr) {
    doc["mapping"] = outcome.mapping->name;
    doc["device"] = outcome.sample.device;
    // Readings that did survive went on to the telemetry stream.
    doc["forwarded_readings"] = outcome.sample.readings.size();
  }
  const bool truncated = payload.size() > kMaxDeadLetterPayload;
  const std::string_view kept = payload.substr(0, kMaxDeadLetterPayload);
  doc["payload_bytes"] = payload.size();
  if (truncated) {
    doc["payload_truncated"] = true;
  }
  // As text when it is, unless escaping would make it larger than base64 (control bytes
  // grow sixfold as \u00XX): a dead letter stays within 4/3 of the payload's cut.
  if (is_valid_utf8(kept) && json_escaped_size(kept) <= base64_size(kept.size())) {
    doc["payload"] = kept;
  } else {
    doc["payload_base64"] = base64_encode(kept);
  }
  return dump_record(doc);
}

std::string encode_log_loss(std::string_view reason, std::string_view detail,
                            std::uint64_t first_offset, std::uint64_t last_offset,
                            std::string_view gateway_id, std::int64_t now_ms) {
  nlohmann::json doc;
  doc["schema"] = kDeadLetterSchema;
  doc["gateway"] = gateway_id;
  doc["reason"] = reason;
  doc["problems"] = nlohmann::json::array({{{"reason", reason}, {"detail", detail}}});
  doc["received"] = now_ms;
  doc["time"] = iso8601_utc(now_ms);
  doc["lost_offsets"] = {{"first", first_offset}, {"last", last_offset}};
  return dump_record(doc);
}

}  // namespace edgegw::records
