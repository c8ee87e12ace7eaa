#include "dashboard/dashboard_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "dashboard/dashboard_assets.hpp"
#include "edgegw/build_info.hpp"
#include "edgegw/log_throttle.hpp"
#include "http/listen_address.hpp"

namespace edgegw::dashboard {
namespace {

using nlohmann::json;

http::Response asset(std::string_view content_type, std::string_view body) {
  return {200, "OK", std::string(content_type), std::string(body),
          "X-Content-Type-Options: nosniff\r\n"};
}

http::Response json_response(int status, std::string_view text, const json& body) {
  return {status, text, "application/json", body.dump() + "\n", ""};
}

}  // namespace

DashboardService::DashboardService(DashboardConfig config)
    : config_(std::move(config)),
      state_(config_.limits, config_.sites),
      server_(config_.http, [this](std::string_view path, std::string_view query) {
        return answer(path, query);
      }) {}

DashboardService::~DashboardService() {
  stop();
}

void DashboardService::start() {
  // The consumer exists before the server's thread can ask it for its status; it starts
  // reading once the page is served.
  consumer_ = std::make_unique<FleetConsumer>(
      config_.kafka,
      [this](RecordKind kind, std::string_view payload) { on_record(kind, payload); });
  server_.start();
  spdlog::info("Dashboard serving. url={} max_clients={}", url(), config_.http.max_clients);
  consumer_->start();
}

std::string DashboardService::url() const {
  const Result<http::ListenAddress> address = http::parse_listen_address(config_.http.listen);
  const std::string host = address ? address.value().host : std::string("127.0.0.1");
  return host.find(':') == std::string::npos ? fmt::format("http://{}:{}/", host, port())
                                             : fmt::format("http://[{}]:{}/", host, port());
}

void DashboardService::stop() {
  // No more records, hence no more events; then no more requests; then the consumer,
  // which those requests asked for its status, goes.
  if (consumer_) {
    consumer_->stop();
  }
  server_.stop();
  consumer_.reset();
}

void DashboardService::on_record(RecordKind kind, std::string_view payload) {
  static LogThrottle throttle;
  std::string error;
  const std::optional<StateEvent> event = state_.apply(kind, payload, &error);
  if (event) {
    server_.publish(event->type, event->data.dump());
  } else if (!error.empty()) {
    if (const auto held = throttle.admit()) {
      spdlog::warn("Dashboard: a record was refused. reason={} held_back={}", error, *held);
    }
  }
}

void DashboardService::publish_status() {
  server_.publish("status", status_json().dump());
}

json DashboardService::status_json() const {
  json kafka = {{"reachable", true}, {"unreachable_since", nullptr}, {"consumed", 0}};
  if (consumer_) {
    const KafkaStatus status = consumer_->status();
    kafka["reachable"] = status.reachable;
    if (!status.reachable) {
      kafka["unreachable_since"] = status.unreachable_since_ms;
      kafka["last_error"] = status.last_error;
    }
    kafka["consumed"] = consumer_->consumed();
  }
  const ServerCounters& server = server_.counters();
  return {{"kafka", std::move(kafka)},
          {"group", config_.kafka.group},
          {"version", std::string(build_info().version)},
          {"counters", state_.snapshot_counters()},
          {"server",
           {{"streams_open", server.streams_open.load()},
            {"streams_refused", server.streams_refused.load()},
            {"slow_clients_dropped", server.slow_clients_dropped.load()}}}};
}

http::Response DashboardService::answer(std::string_view path, std::string_view query) const {
  if (path == "/") {
    return asset("text/html; charset=utf-8", assets::index_html());
  }
  if (path == "/dashboard.js") {
    return asset("text/javascript; charset=utf-8", assets::dashboard_js());
  }
  if (path == "/dashboard.css") {
    return asset("text/css; charset=utf-8", assets::dashboard_css());
  }
  if (path == "/chart.min.js") {
    return asset("text/javascript; charset=utf-8", assets::chart_js());
  }
  if (path == "/healthz") {
    return {200, "OK", "text/plain", "ok\n", ""};
  }
  if (path == "/api/state") {
    const Result<StateFilter> filter = parse_state_filter(query);
    if (!filter) {
      return json_response(400, "Bad Request", {{"error", filter.error().message}});
    }
    json state = state_.snapshot(filter.value());
    state["status"] = status_json();
    return json_response(200, "OK", state);
  }
  return {404, "Not Found", "text/plain", "404 Not Found\n", ""};
}

}  // namespace edgegw::dashboard
