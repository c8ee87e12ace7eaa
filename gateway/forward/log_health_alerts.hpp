#pragma once
// Gateway health alerts for losses in the durable log: records dropped by drop_oldest
// (the size cap or the disk full) and ranges found damaged. Operators watch the alerts
// stream, not the gateway's logs, so a loss must show up there: one alert per kind with
// the gateway as the device, raised at the first loss, updated while losses go on (at
// most every `update_every`), cleared after `quiet` without a new loss. The dead-letter
// stream still carries the exact lost offset ranges.
//
// Not thread-safe: the forwarder's thread owns it.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "edgegw/analytics/alert.hpp"
#include "edgegw/log.hpp"

namespace edgegw::forward {

class LogHealthAlerts {
 public:
  LogHealthAlerts(std::string gateway_id, std::chrono::milliseconds quiet,
                  std::chrono::milliseconds update_every);

  // Compares the log's loss counters with the previous call; returns the transitions
  // to publish (oldest first). Losses already counted when the gateway started (damage
  // found by recovery) raise an alert at the first call.
  std::vector<analytics::Alert> observe(const store::LogStats& stats, std::int64_t now_ms);

 private:
  struct Kind {
    std::string source;
    analytics::Severity severity;
    std::string what;  // "records dropped", "damaged bytes skipped"
    std::uint64_t seen = 0;
    std::uint64_t since_raised = 0;
    std::int64_t last_loss_ms = 0;
    std::int64_t last_sent_ms = 0;
    bool open = false;
    analytics::Alert alert;
  };

  void observe_kind(Kind& kind, std::uint64_t counter, std::int64_t now_ms,
                    std::vector<analytics::Alert>& out) const;
  analytics::Alert transition(Kind& kind, analytics::AlertState state, std::int64_t now_ms) const;

  std::string gateway_id_;
  std::chrono::milliseconds quiet_;
  std::chrono::milliseconds update_every_;
  Kind dropped_;
  Kind damaged_;
};

}  // namespace edgegw::forward
