#include "pipeline/sequence_recall.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace edgegw::pipeline {
namespace {

constexpr std::size_t kRecallBytes = 64U << 20U;

}  // namespace

RecallResult recall_sequences(store::DurableLog& log, SequenceTracker& tracker,
                              std::int64_t now_ms) {
  RecallResult result;
  const store::LogStats stats = log.stats();
  const std::uint64_t end = stats.end_offset;
  std::uint64_t next =
      std::max(stats.first_offset, end > kRecallRecords ? end - kRecallRecords : 0);
  while (next < end) {
    Result<store::ReadBatch> batch = log.read(next, kRecallRecords, kRecallBytes);
    if (!batch || batch.value().next_offset <= next) {
      break;  // an unreadable tail recalls nothing more: redeliveries then pass as new
    }
    for (const store::LogRecord& record : batch.value().records) {
      if (record.stream != Stream::telemetry) {
        continue;
      }
      const nlohmann::json doc =
          nlohmann::json::parse(record.payload, nullptr, /*allow_exceptions=*/false);
      if (!doc.is_object() || !doc.contains("seq") || !doc.contains("device")) {
        continue;
      }
      const auto& seq = doc["seq"];
      const auto& device = doc["device"];
      if (seq.is_number_integer() && device.is_string()) {
        tracker.remember(device.get<std::string>(), seq.get<std::int64_t>(), now_ms);
        ++result.records;
      }
    }
    next = batch.value().next_offset;
  }
  result.devices = tracker.devices();
  return result;
}

}  // namespace edgegw::pipeline
