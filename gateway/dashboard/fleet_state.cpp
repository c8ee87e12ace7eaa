#include "dashboard/fleet_state.hpp"

#include <algorithm>
#include <utility>

namespace edgegw::dashboard {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

// The point of one aggregate window on its sensor's chart.
json chart_point(const AggregateRecord& aggregate) {
  return json::array({aggregate.window_end_ms, optional_number(aggregate.mean),
                      optional_number(aggregate.min), optional_number(aggregate.max)});
}

json episode_mark(const AlertRecord& alert, std::int64_t cleared_ms) {
  return {{"id", alert.id},
          {"source", alert.source},
          {"severity", alert.severity},
          {"raised", alert.raised_ms},
          {"cleared", cleared_ms == 0 ? json(nullptr) : json(cleared_ms)}};
}

// Inserts by time; a window already there (a redelivery) is replaced.
void insert_point(std::deque<json>& points, json point) {
  const std::int64_t t = point[0].get<std::int64_t>();
  auto at = std::lower_bound(points.begin(), points.end(), t, [](const json& p, std::int64_t v) {
    return p[0].get<std::int64_t>() < v;
  });
  if (at != points.end() && (*at)[0].get<std::int64_t>() == t) {
    *at = std::move(point);
  } else {
    points.insert(at, std::move(point));
  }
}

}  // namespace

std::string device_key(std::string_view gateway, std::string_view device) {
  return std::string(gateway) + "/" + std::string(device);
}

std::string alert_key(std::string_view gateway, std::string_view alert_id) {
  return std::string(gateway) + "/" + std::string(alert_id);
}

FleetState::FleetState(DashboardLimits limits, std::map<std::string, std::string> sites)
    : limits_(limits), sites_(std::move(sites)) {}

std::optional<StateEvent> FleetState::apply(RecordKind kind, std::string_view payload,
                                            std::string* error) {
  const std::scoped_lock lock(mutex_);
  auto refuse = [&](const Error& e) {
    ++counters_.malformed;
    if (error != nullptr) {
      *error = e.message;
    }
    return std::nullopt;
  };
  switch (kind) {
    case RecordKind::alert: {
      Result<AlertRecord> alert = parse_alert(payload);
      if (!alert) {
        return refuse(alert.error());
      }
      ++counters_.alerts;
      return apply_alert(std::move(alert.value()));
    }
    case RecordKind::aggregate: {
      const Result<AggregateRecord> aggregate = parse_aggregate(payload);
      if (!aggregate) {
        return refuse(aggregate.error());
      }
      ++counters_.aggregates;
      return apply_aggregate(aggregate.value());
    }
    case RecordKind::prediction: {
      const Result<PredictionRecord> prediction = parse_prediction(payload);
      if (!prediction) {
        return refuse(prediction.error());
      }
      ++counters_.predictions;
      return apply_prediction(prediction.value());
    }
  }
  return std::nullopt;
}

std::optional<StateEvent> FleetState::apply_alert(AlertRecord alert) {
  const std::string key = alert_key(alert.gateway, alert.id);
  if (already_cleared(key)) {
    ++counters_.duplicates;
    return std::nullopt;
  }
  std::vector<std::string> evicted_devices;
  Device& device = touch_device(alert.gateway, alert.device, alert.ts_ms, evicted_devices);
  if (!alert.profile.empty()) {
    device.device_class = alert.profile;
  }
  std::vector<std::string> evicted_alerts;
  Episode episode;
  if (auto open = open_.find(key); open != open_.end()) {
    if (alert.state != "cleared" && alert.ts_ms <= open->second.latest.ts_ms) {
      ++counters_.duplicates;
      return std::nullopt;
    }
    episode = std::move(open->second);
    open_.erase(open);
    episode.updates += alert.state == "updated" ? 1 : 0;
  } else {
    episode.site = site_of(alert.gateway);  // raised, or the first we see of an older one
  }
  episode.latest = std::move(alert);
  json alert_data;
  if (episode.latest.state == "cleared") {
    episode.cleared_ms = std::max(episode.latest.ts_ms, episode.latest.raised_ms);
    alert_data = alert_json(episode);
    close_episode(std::move(episode), evicted_alerts);
  } else {
    alert_data = alert_json(episode);
    open_[key] = std::move(episode);
    if (open_.size() > limits_.max_open_alerts) {
      // The longest open: most likely one whose clear was lost or never comes.
      auto oldest = std::min_element(open_.begin(), open_.end(), [](const auto& a, const auto& b) {
        return a.second.latest.raised_ms < b.second.latest.raised_ms;
      });
      evicted_alerts.push_back(oldest->first);
      open_.erase(oldest);
      ++counters_.evicted_open_alerts;
    }
  }
  return StateEvent{"alert",
                    {{"seq", ++seq_},
                     {"alert", std::move(alert_data)},
                     {"evicted_alerts", evicted_alerts},
                     {"evicted_devices", evicted_devices}}};
}

void FleetState::close_episode(Episode episode, std::vector<std::string>& evicted_alerts) {
  const AlertRecord& alert = episode.latest;
  if (auto device = devices_.find(device_key(alert.gateway, alert.device));
      device != devices_.end()) {
    device->second.episodes.push_back(episode_mark(alert, episode.cleared_ms));
    if (device->second.episodes.size() > limits_.max_device_episodes) {
      device->second.episodes.pop_front();
    }
  }
  history_.push_back(std::move(episode));
  if (history_.size() > limits_.max_history) {
    evicted_alerts.push_back(
        alert_key(history_.front().latest.gateway, history_.front().latest.id));
    history_.pop_front();
    ++counters_.evicted_history;
  }
}

bool FleetState::already_cleared(const std::string& key) const {
  return std::any_of(history_.begin(), history_.end(), [&key](const Episode& e) {
    return alert_key(e.latest.gateway, e.latest.id) == key;
  });
}

std::optional<StateEvent> FleetState::apply_aggregate(const AggregateRecord& aggregate) {
  std::vector<std::string> evicted_devices;
  Device& device =
      touch_device(aggregate.gateway, aggregate.device, aggregate.window_end_ms, evicted_devices);
  auto chart = device.charts.find(aggregate.sensor);
  if (chart == device.charts.end()) {
    if (device.charts.size() >= limits_.max_sensors) {
      ++counters_.evicted_sensors;  // a device with more sensors than charts: the rest unseen
      return std::nullopt;
    }
    chart = device.charts.emplace(aggregate.sensor, std::deque<json>{}).first;
  }
  insert_point(chart->second, chart_point(aggregate));
  if (chart->second.size() > limits_.max_points) {
    chart->second.pop_front();
    ++counters_.evicted_points;
  }
  return StateEvent{"aggregate",
                    {{"seq", ++seq_},
                     {"device", device_json(device_key(device.gateway, device.device), device,
                                            /*with_charts=*/false)},
                     {"sensor", aggregate.sensor},
                     {"point", chart_point(aggregate)},
                     {"evicted_devices", evicted_devices}}};
}

std::optional<StateEvent> FleetState::apply_prediction(const PredictionRecord& prediction) {
  std::vector<std::string> evicted_devices;
  Device& device =
      touch_device(prediction.gateway, prediction.device, prediction.ts_ms, evicted_devices);
  if (!device.prediction.is_null() &&
      device.prediction["ts"].get<std::int64_t>() > prediction.ts_ms) {
    return std::nullopt;  // an older estimate, redelivered
  }
  device.prediction = {{"ts", prediction.ts_ms},
                       {"rul", prediction.rul},
                       {"rul_lower", prediction.rul_lower},
                       {"rul_upper", optional_number(prediction.rul_upper)},
                       {"unit", prediction.unit},
                       {"model", prediction.model}};
  return StateEvent{"prediction",
                    {{"seq", ++seq_},
                     {"device", device_json(device_key(device.gateway, device.device), device,
                                            /*with_charts=*/false)},
                     {"evicted_devices", evicted_devices}}};
}

FleetState::Device& FleetState::touch_device(const std::string& gateway, const std::string& device,
                                             std::int64_t ts_ms,
                                             std::vector<std::string>& evicted) {
  const std::string key = device_key(gateway, device);
  auto it = devices_.find(key);
  if (it == devices_.end()) {
    if (devices_.size() >= limits_.max_devices) {
      auto stalest = std::min_element(
          devices_.begin(), devices_.end(),
          [](const auto& a, const auto& b) { return a.second.touched < b.second.touched; });
      evicted.push_back(stalest->first);
      devices_.erase(stalest);
      ++counters_.evicted_devices;
    }
    it = devices_.emplace(key, Device{}).first;
    it->second.gateway = gateway;
    it->second.device = device;
    it->second.site = site_of(gateway);
    it->second.prediction = nullptr;
  }
  it->second.touched = seq_ + 1;
  it->second.last_ms = std::max(it->second.last_ms, ts_ms);
  return it->second;
}

std::string FleetState::site_of(const std::string& gateway) const {
  const auto it = sites_.find(gateway);
  return it == sites_.end() ? gateway : it->second;
}

std::string FleetState::health_of(const std::string& key) const {
  std::string worst = "ok";
  for (const auto& [alert, episode] : open_) {
    if (device_key(episode.latest.gateway, episode.latest.device) == key &&
        severity_rank(episode.latest.severity) > severity_rank(worst)) {
      worst = episode.latest.severity;
    }
  }
  return worst;
}

json FleetState::alert_json(const Episode& episode) const {
  const AlertRecord& a = episode.latest;
  const auto device = devices_.find(device_key(a.gateway, a.device));
  return {{"key", alert_key(a.gateway, a.id)},
          {"id", a.id},
          {"gateway", a.gateway},
          {"site", episode.site},
          {"device", a.device},
          {"device_key", device_key(a.gateway, a.device)},
          {"device_class", device != devices_.end() ? device->second.device_class : a.profile},
          {"origin", a.origin},
          {"source", a.source},
          {"severity", a.severity},
          {"state", a.state},
          {"raised", a.raised_ms},
          {"ts", a.ts_ms},
          {"cleared", episode.cleared_ms == 0 ? json(nullptr) : json(episode.cleared_ms)},
          {"updates", episode.updates},
          {"score", optional_number(a.score)},
          {"message", a.message},
          {"evidence", a.evidence}};
}

json FleetState::device_json(const std::string& key, const Device& device, bool with_charts) const {
  json out = {{"key", key},
              {"gateway", device.gateway},
              {"site", device.site},
              {"device", device.device},
              {"device_class", device.device_class},
              {"last", device.last_ms},
              {"prediction", device.prediction}};
  if (with_charts) {
    json charts = json::object();
    for (const auto& [sensor, points] : device.charts) {
      charts[sensor] = json(points);
    }
    out["charts"] = std::move(charts);
    out["episodes"] = json(device.episodes);
    out["health"] = health_of(key);
  }
  return out;
}

json FleetState::snapshot(const StateFilter& filter) const {
  const std::scoped_lock lock(mutex_);
  json open = json::array();
  for (const auto& [key, episode] : open_) {
    json alert = alert_json(episode);
    if (filter.matches(episode.latest.gateway, episode.site,
                       alert["device_class"].get<std::string>(), episode.latest.device,
                       episode.latest.severity)) {
      open.push_back(std::move(alert));
    }
  }
  json history = json::array();
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {  // newest first
    json alert = alert_json(*it);
    if (filter.matches(it->latest.gateway, it->site, alert["device_class"].get<std::string>(),
                       it->latest.device, it->latest.severity)) {
      history.push_back(std::move(alert));
    }
  }
  json devices = json::array();
  for (const auto& [key, device] : devices_) {
    json view = device_json(key, device, /*with_charts=*/true);
    if (filter.matches(device.gateway, device.site, device.device_class, device.device,
                       view["health"].get<std::string>())) {
      devices.push_back(std::move(view));
    }
  }
  return {{"seq", seq_},
          {"open_alerts", std::move(open)},
          {"history", std::move(history)},
          {"devices", std::move(devices)},
          {"counters", counters_json()},
          {"limits", limits_json()}};
}

StateCounters FleetState::counters() const {
  const std::scoped_lock lock(mutex_);
  return counters_;
}

json FleetState::snapshot_counters() const {
  const std::scoped_lock lock(mutex_);
  return counters_json();
}

std::size_t FleetState::open_alert_count() const {
  const std::scoped_lock lock(mutex_);
  return open_.size();
}

json FleetState::counters_json() const {
  const StateCounters& c = counters_;
  return {{"alerts", c.alerts},
          {"aggregates", c.aggregates},
          {"predictions", c.predictions},
          {"malformed", c.malformed},
          {"duplicates", c.duplicates},
          {"evicted_devices", c.evicted_devices},
          {"evicted_open_alerts", c.evicted_open_alerts},
          {"evicted_history", c.evicted_history},
          {"evicted_points", c.evicted_points},
          {"evicted_sensors", c.evicted_sensors}};
}

json FleetState::limits_json() const {
  return {
      {"max_devices", limits_.max_devices}, {"max_open_alerts", limits_.max_open_alerts},
      {"max_history", limits_.max_history}, {"max_points", limits_.max_points},
      {"max_sensors", limits_.max_sensors}, {"max_device_episodes", limits_.max_device_episodes}};
}

}  // namespace edgegw::dashboard
