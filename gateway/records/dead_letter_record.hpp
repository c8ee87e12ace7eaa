#pragma once
// The dead-letter record: a message the gateway could not (wholly) use, with why, the
// original topic and the payload (as text when it is UTF-8, else base64), so that nothing
// is dropped silently (schema: docs/schemas/dead_letter.schema.json).

#include <cstdint>
#include <string>
#include <string_view>

#include "mapping/map_outcome.hpp"

namespace edgegw::records {

inline constexpr std::string_view kDeadLetterSchema = "edgegw.dead_letter/v1";
// Payloads larger than this are cut (and flagged) so that a hostile device cannot blow
// up the log with one message.
inline constexpr std::size_t kMaxDeadLetterPayload = std::size_t{64} * 1024;

std::string encode_dead_letter(const mapping::MapOutcome& outcome, std::string_view topic,
                               std::string_view payload, std::string_view gateway_id,
                               std::int64_t received_ms);

// A dead-letter record for a range of the durable log that was damaged or dropped.
std::string encode_log_loss(std::string_view reason, std::string_view detail,
                            std::uint64_t first_offset, std::uint64_t last_offset,
                            std::string_view gateway_id, std::int64_t now_ms);

}  // namespace edgegw::records
