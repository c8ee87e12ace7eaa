#include "forward/log_health_alerts.hpp"

#include <fmt/format.h>

namespace edgegw::forward {

LogHealthAlerts::LogHealthAlerts(std::string gateway_id, std::chrono::milliseconds quiet,
                                 std::chrono::milliseconds update_every)
    : gateway_id_(std::move(gateway_id)), quiet_(quiet), update_every_(update_every) {
  dropped_.source = "health:log_dropped";
  dropped_.severity = analytics::Severity::critical;
  dropped_.what = "unforwarded records dropped because the log or its disk was full";
  damaged_.source = "health:log_damaged";
  damaged_.severity = analytics::Severity::warning;
  damaged_.what = "bytes of the log found damaged and skipped";
}

std::vector<analytics::Alert> LogHealthAlerts::observe(const store::LogStats& stats,
                                                       std::int64_t now_ms) {
  std::vector<analytics::Alert> out;
  observe_kind(dropped_, stats.dropped_records, now_ms, out);
  // A torn tail is not counted: its record's append never returned, so the broker
  // still has the message and delivers it again.
  observe_kind(damaged_, stats.corrupt_bytes, now_ms, out);
  return out;
}

void LogHealthAlerts::observe_kind(Kind& kind, std::uint64_t counter, std::int64_t now_ms,
                                   std::vector<analytics::Alert>& out) const {
  if (counter > kind.seen) {
    kind.since_raised += counter - kind.seen;
    kind.seen = counter;
    kind.last_loss_ms = now_ms;
    if (!kind.open) {
      kind.open = true;
      kind.alert.raised_ms = now_ms;
      out.push_back(transition(kind, analytics::AlertState::raised, now_ms));
    } else if (now_ms - kind.last_sent_ms >= update_every_.count()) {
      out.push_back(transition(kind, analytics::AlertState::updated, now_ms));
    }
    return;
  }
  if (kind.open && now_ms - kind.last_loss_ms >= quiet_.count()) {
    out.push_back(transition(kind, analytics::AlertState::cleared, now_ms));
    kind.open = false;
    kind.since_raised = 0;
  }
}

analytics::Alert LogHealthAlerts::transition(Kind& kind, analytics::AlertState state,
                                             std::int64_t now_ms) const {
  analytics::Alert& a = kind.alert;
  a.id = analytics::make_alert_id(gateway_id_, kind.source, a.raised_ms);
  a.origin = analytics::AlertOrigin::health;
  a.device = gateway_id_;
  a.source = kind.source;
  a.profile = "gateway";
  a.state = state;
  a.severity = kind.severity;
  a.event_ms = now_ms;
  a.statistic = static_cast<double>(kind.since_raised);
  a.threshold = 0.0;
  a.score = kind.since_raised > 0 ? 1.0 : 0.0;
  a.window_ms = now_ms - a.raised_ms;
  a.parameters = {{"quiet_ms", static_cast<double>(quiet_.count())}};
  a.message = state == analytics::AlertState::cleared
                  ? fmt::format("No further loss in the durable log for {} s ({} {} in all).",
                                quiet_.count() / 1000, kind.since_raised, kind.what)
                  : fmt::format(
                        "The durable log lost data: {} {} since this alert was raised; "
                        "the dead-letter stream names the offset ranges.",
                        kind.since_raised, kind.what);
  kind.last_sent_ms = now_ms;
  return a;
}

}  // namespace edgegw::forward
