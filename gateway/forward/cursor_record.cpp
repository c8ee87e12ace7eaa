#include "forward/cursor_record.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace edgegw::forward {

std::string encode_cursor_record(const CursorRecord& cursor) {
  const nlohmann::json doc = {{"version", kCursorRecordVersion},
                              {"next_offset", cursor.next_offset},
                              {"transaction", cursor.transaction}};
  return doc.dump();
}

std::optional<CursorRecord> decode_cursor_record(std::string_view value, std::string& why) {
  const nlohmann::json doc = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    why = "not a JSON object";
    return std::nullopt;
  }
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer()) {
    why = "no integer 'version'";
    return std::nullopt;
  }
  if (version->get<std::int64_t>() != kCursorRecordVersion) {
    why = fmt::format("version {} (this gateway reads version {})", version->dump(),
                      kCursorRecordVersion);
    return std::nullopt;
  }
  const auto next = doc.find("next_offset");
  if (next == doc.end() || !next->is_number_unsigned()) {
    why = "no unsigned integer 'next_offset'";
    return std::nullopt;
  }
  CursorRecord cursor;
  cursor.next_offset = next->get<std::uint64_t>();
  if (const auto txn = doc.find("transaction"); txn != doc.end() && txn->is_string()) {
    cursor.transaction = txn->get<std::string>();
  }
  return cursor;
}

StartPoint choose_start(std::optional<std::uint64_t> kafka_cursor, std::uint64_t log_cursor,
                        std::uint64_t log_end) {
  using Source = StartPoint::Source;
  if (!kafka_cursor) {
    return {log_cursor, Source::local};
  }
  if (*kafka_cursor > log_end) {
    return {log_cursor, Source::log_replaced};
  }
  if (log_cursor > *kafka_cursor) {
    return {log_cursor, Source::local_ahead};
  }
  return {*kafka_cursor, Source::kafka};
}

}  // namespace edgegw::forward
