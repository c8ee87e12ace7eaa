#include "records/dead_letter_record.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "edgegw/time_format.hpp"
#include "records/record_json.hpp"

namespace edgegw::records {

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    unsigned min_code = 0;
    unsigned code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0U) == 0xC0U) {
      extra = 1, min_code = 0x80, code = c & 0x1FU;
    } else if ((c & 0xF0U) == 0xE0U) {
      extra = 2, min_code = 0x800, code = c & 0x0FU;
    } else if ((c & 0xF8U) == 0xF0U) {
      extra = 3, min_code = 0x10000, code = c & 0x07U;
    } else {
      return false;
    }
    if (i + extra >= text.size()) {
      return false;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0U) != 0x80U) {
        return false;
      }
      code = (code << 6U) | (cc & 0x3FU);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;  // overlong, beyond Unicode, or a surrogate
    }
    i += extra + 1;
  }
  return true;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

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
  if (is_valid_utf8(kept)) {
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
