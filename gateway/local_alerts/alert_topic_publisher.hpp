#pragma once
// Publishes alert transitions on a local MQTT topic for actuation at the edge (config
// `mqtt.alerts`): the same JSON record as on the alerts stream, on a topic made from the
// alert's gateway, device, source and severity.
//
// Best effort by design: the alerts stream (durable log → Kafka) is the record that
// never loses one. This path has its own connection (so that a broken publish can never
// disturb ingest) and a bounded buffer that drops its oldest entries when the broker is
// away for long: an actuator wants the current state, not a replay of stale alarms.
//
// Threads: publish() from the pipeline (under its lock); stats() from any thread.

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "edgegw/analytics/alert.hpp"
#include "edgegw/config.hpp"
#include "edgegw/log_throttle.hpp"
#include "mqtt_publish/mqtt_publisher.hpp"

namespace edgegw::metrics {
class Sink;
}

namespace edgegw::local_alerts {

struct AlertTopicStats {
  std::uint64_t published = 0;  // handed to the MQTT client
  std::uint64_t filtered = 0;   // below min_severity
  std::uint64_t refused = 0;    // their topic was no valid MQTT topic
  mqtt_publish::MqttPublisherStats mqtt;
};

void report_metrics(const AlertTopicStats& s, metrics::Sink& sink);

class AlertTopicPublisher {
 public:
  // Returns at once; connects in the background with the ingest's broker, credentials
  // and TLS, as client `<client_id>-alerts`.
  AlertTopicPublisher(const MqttConfig& mqtt, std::string gateway_id);
  ~AlertTopicPublisher();
  AlertTopicPublisher(const AlertTopicPublisher&) = delete;
  AlertTopicPublisher& operator=(const AlertTopicPublisher&) = delete;

  // `record` is `alert` encoded (docs/schemas/alert.schema.json).
  void publish(const analytics::Alert& alert, std::string_view record);
  // Gives undelivered alerts up to `timeout` to reach the broker (shutdown).
  void flush(std::chrono::milliseconds timeout);
  [[nodiscard]] AlertTopicStats stats() const;

 private:
  AlertTopicConfig config_;
  std::string gateway_id_;
  int min_severity_rank_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> filtered_{0};
  std::atomic<std::uint64_t> refused_{0};
  LogThrottle refusal_log_;
  mqtt_publish::MqttPublisher publisher_;
};

}  // namespace edgegw::local_alerts
