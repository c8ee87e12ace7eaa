#include "forward/loss_report.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "edgegw/clock.hpp"
#include "records/dead_letter_record.hpp"

namespace edgegw::forward {

store::DamageReport rejected_by_kafka(std::uint64_t offset, std::string_view why) {
  store::DamageReport report;
  report.first_offset = offset;
  report.last_offset = offset;
  report.lost_records = 1;
  report.reason = store::DamageReason::kafka_rejected;
  report.detail = why;
  return report;
}

std::string loss_report_record(const store::DamageReport& damage, const std::string& gateway_id) {
  spdlog::error(
      "Records lost from the log are reported on the dead-letter stream. "
      "segment={} bytes={}-{} offsets={}-{} reason={}",
      damage.segment, damage.byte_begin, damage.byte_end, damage.first_offset, damage.last_offset,
      store::damage_reason_name(damage.reason));
  std::string detail = fmt::format("segment {} bytes {}-{}: {}", damage.segment, damage.byte_begin,
                                   damage.byte_end, store::damage_reason_name(damage.reason));
  if (!damage.detail.empty()) {
    detail += ": " + damage.detail;
  }
  if (damage.kept_records > 0) {
    detail += fmt::format(
        "; {} records of the range (alerts, aggregates, predictions) were "
        "kept and sent under new offsets",
        damage.kept_records);
  }
  return records::encode_log_loss(
      damage.reason == store::DamageReason::dropped_oldest ? "log_dropped" : "log_damaged", detail,
      damage.first_offset, damage.last_offset, gateway_id, wall_clock_ms());
}

}  // namespace edgegw::forward
