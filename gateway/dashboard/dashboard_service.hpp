#pragma once
// The dashboard assembled: the fleet consumer feeds the state, each change goes out as
// an event to every open page, and the server answers the page, its scripts and
// /api/state (the snapshot a page loads first, with the Kafka status and counters).

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "dashboard/dashboard_server.hpp"
#include "dashboard/fleet_consumer.hpp"
#include "dashboard/fleet_state.hpp"
#include "edgegw/dashboard_config.hpp"
#include "http/response.hpp"

namespace edgegw::dashboard {

class DashboardService {
 public:
  explicit DashboardService(DashboardConfig config);
  ~DashboardService();
  DashboardService(const DashboardService&) = delete;
  DashboardService& operator=(const DashboardService&) = delete;

  // Serves first (so a page can load while Kafka is still away), then consumes. Throws
  // when the address cannot be bound or Kafka refuses the configuration.
  void start();
  void stop();
  [[nodiscard]] int port() const { return server_.port(); }
  [[nodiscard]] std::string url() const;  // of the page, with the port bound

  // A "status" event (Kafka reachability, counters) to every page; called every second
  // or so by the command.
  void publish_status();

  [[nodiscard]] http::Response answer(std::string_view path, std::string_view query) const;
  [[nodiscard]] nlohmann::json status_json() const;

 private:
  void on_record(RecordKind kind, std::string_view payload);

  DashboardConfig config_;
  FleetState state_;
  DashboardServer server_;
  std::unique_ptr<FleetConsumer> consumer_;
};

}  // namespace edgegw::dashboard
