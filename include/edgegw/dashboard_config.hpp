#pragma once
// The alerts dashboard's configuration (`edgegw dashboard --config dashboard.yaml`) as
// plain values. gateway/config/dashboard_section.cpp reads and validates it; command-line
// flags override what the file says.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

namespace edgegw {

// What the dashboard keeps in memory, at most. Beyond each cap the oldest entry goes and
// a counter (shown on the page and in /api/state) says how many went.
struct DashboardLimits {
  std::size_t max_devices = 2000;        // least recently heard from goes first
  std::size_t max_open_alerts = 2000;    // the longest open goes first
  std::size_t max_history = 500;         // cleared episodes, newest kept
  std::size_t max_points = 120;          // aggregate points per sensor chart
  std::size_t max_sensors = 32;          // charts per device
  std::size_t max_device_episodes = 20;  // episodes per device kept for its chart marks
};

struct DashboardHttpConfig {
  std::string listen = "127.0.0.1:8088";
  int max_clients = 32;  // live event streams; a further one is refused with 503
  // Events queued for one stream that it has not taken yet: a client that falls this far
  // behind is dropped, never buffered without limit.
  std::size_t max_client_backlog = std::size_t{1024} * 1024;
  std::chrono::milliseconds request_timeout{5000};      // request head in, plain answer out
  std::chrono::milliseconds keepalive_interval{15000};  // comment lines on idle streams
};

struct DashboardKafkaConfig {
  std::string bootstrap_servers = "127.0.0.1:9092";
  std::string group = "edgegw-dashboard";
  // The state lives in memory only: by default each start reads every partition from its
  // earliest retained record, so that a restarted dashboard shows the open alerts again.
  // `committed` resumes from the group's committed offsets instead (a quicker start over
  // a long retention, but alerts raised before it are not shown).
  bool replay_retained = true;
  // As the gateway's kafka.topics defaults.
  std::string alerts_topic = "edgegw.alerts";
  std::string aggregates_topic = "edgegw.aggregates";
  std::string predictions_topic = "edgegw.predictions";
  std::map<std::string, std::string> properties;  // passed to librdkafka's consumer
};

struct DashboardConfig {
  std::filesystem::path source;  // the file it came from, if any
  DashboardHttpConfig http;
  DashboardKafkaConfig kafka;
  DashboardLimits limits;
  // Records carry no site: a gateway serves one site, so the site is looked up by gateway
  // id here, and is the gateway id itself when it is not listed.
  std::map<std::string, std::string> sites;
};

}  // namespace edgegw
