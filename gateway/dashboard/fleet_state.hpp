#pragma once
// What the dashboard knows about the fleet, bounded: open alerts keyed by gateway and
// alert id through their lifecycle (raised, updated, cleared), a history of recent
// cleared episodes, and per device its class, site, recent aggregates per sensor, the
// episodes to mark on its charts and its latest remaining-life prediction.
//
// One thread applies records (the Kafka consumer); others read snapshots (the HTTP
// server). Every change gets the next sequence number, and a snapshot carries the number
// of the last change in it: a page that loads the snapshot and then applies only events
// with a higher number sees each change once, whichever arrived first.
//
// Records arrive at least once (a consumer restart, a gateway's resend): a transition of
// an alert already cleared, or one no newer than what is held, changes nothing.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dashboard/fleet_records.hpp"
#include "dashboard/state_filter.hpp"
#include "edgegw/dashboard_config.hpp"

namespace edgegw::dashboard {

struct StateCounters {
  std::uint64_t alerts = 0;  // records applied, per kind
  std::uint64_t aggregates = 0;
  std::uint64_t predictions = 0;
  std::uint64_t malformed = 0;   // refused by the decoder
  std::uint64_t duplicates = 0;  // alert transitions that changed nothing
  std::uint64_t evicted_devices = 0;
  std::uint64_t evicted_open_alerts = 0;
  std::uint64_t evicted_history = 0;
  std::uint64_t evicted_points = 0;
  std::uint64_t evicted_sensors = 0;
};

// One change, for the page's event stream: `type` is the SSE event name, `data` its JSON
// (with "seq").
struct StateEvent {
  std::string type;
  nlohmann::json data;
};

class FleetState {
 public:
  FleetState(DashboardLimits limits, std::map<std::string, std::string> sites);

  // Decodes and applies one record. Nothing when it was malformed (counted, and logged
  // by the caller with the reason in `error`) or changed nothing.
  std::optional<StateEvent> apply(RecordKind kind, std::string_view payload,
                                  std::string* error = nullptr);

  // Everything the filter lets through, with "seq", "counters" and "limits".
  [[nodiscard]] nlohmann::json snapshot(const StateFilter& filter = {}) const;
  [[nodiscard]] StateCounters counters() const;
  [[nodiscard]] nlohmann::json snapshot_counters() const;  // as snapshot()'s "counters"
  [[nodiscard]] std::size_t open_alert_count() const;

 private:
  struct Episode {
    AlertRecord latest;
    std::string site;
    std::int64_t cleared_ms = 0;  // 0 while open
    int updates = 0;
  };
  struct Device {
    std::string gateway;
    std::string device;
    std::string site;
    std::string device_class;
    std::uint64_t touched = 0;  // the sequence number of its latest record, for eviction
    std::int64_t last_ms = 0;   // event time of its newest record
    std::map<std::string, std::deque<nlohmann::json>> charts;  // [t, mean, min, max]
    std::deque<nlohmann::json> episodes;                       // cleared, for chart marks
    nlohmann::json prediction;                                 // null until one arrives
  };

  std::optional<StateEvent> apply_alert(AlertRecord alert);
  std::optional<StateEvent> apply_aggregate(const AggregateRecord& aggregate);
  std::optional<StateEvent> apply_prediction(const PredictionRecord& prediction);

  Device& touch_device(const std::string& gateway, const std::string& device, std::int64_t ts_ms,
                       std::vector<std::string>& evicted);
  void close_episode(Episode episode, std::vector<std::string>& evicted_alerts);
  [[nodiscard]] bool already_cleared(const std::string& key) const;
  [[nodiscard]] std::string site_of(const std::string& gateway) const;
  [[nodiscard]] std::string health_of(const std::string& device_key) const;

  [[nodiscard]] nlohmann::json alert_json(const Episode& episode) const;
  [[nodiscard]] nlohmann::json device_json(const std::string& key, const Device& device,
                                           bool with_charts) const;
  [[nodiscard]] nlohmann::json counters_json() const;
  [[nodiscard]] nlohmann::json limits_json() const;

  const DashboardLimits limits_;
  const std::map<std::string, std::string> sites_;
  mutable std::mutex mutex_;
  std::uint64_t seq_ = 0;
  StateCounters counters_;
  std::map<std::string, Episode> open_;    // by alert key: gateway and alert id
  std::deque<Episode> history_;            // cleared, oldest first
  std::map<std::string, Device> devices_;  // by device key: gateway and device id
};

// The keys the page and /api/state name things by.
std::string device_key(std::string_view gateway, std::string_view device);
std::string alert_key(std::string_view gateway, std::string_view alert_id);

}  // namespace edgegw::dashboard
