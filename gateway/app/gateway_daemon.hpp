#pragma once
// The one place where the daemon's parts are wired together: durable log, forwarder,
// pipeline (mapper → log), MQTT ingest and the operations endpoint. Tests build it the
// same way the `run` command does.
//
// Lifetime: construct (opens and recovers the log, creates the Kafka producer; throws
// on a config or start-up problem), start(), then stop() once from the owner thread.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "edgegw/config.hpp"
#include "edgegw/log_throttle.hpp"

namespace edgegw::store {
class DurableLog;
}
namespace edgegw::kafka {
class KafkaProducer;
}
namespace edgegw::forward {
class Forwarder;
}
namespace edgegw::pipeline {
class Pipeline;
}
namespace edgegw::ingest {
class MqttIngest;
}
namespace edgegw::http {
class OpsServer;
}
namespace edgegw::local_alerts {
class AlertTopicPublisher;
}

namespace edgegw::app {

class AnalyticsCheckpointer;

class GatewayDaemon {
 public:
  explicit GatewayDaemon(GatewayConfig config);
  ~GatewayDaemon();
  GatewayDaemon(const GatewayDaemon&) = delete;
  GatewayDaemon& operator=(const GatewayDaemon&) = delete;

  void start();
  // Stops taking messages, makes the log durable, flushes the producer (waiting up to
  // flush_timeout), saves the cursor. Safe to call twice.
  void stop(std::chrono::milliseconds flush_timeout);

  [[nodiscard]] const GatewayConfig& config() const { return config_; }
  [[nodiscard]] std::string metrics_text() const;
  [[nodiscard]] bool ready() const;
  [[nodiscard]] std::string status_text() const;

 private:
  void on_message(std::string_view topic, std::string_view payload);
  void tick_loop();

  GatewayConfig config_;
  std::unique_ptr<store::DurableLog> log_;
  std::unique_ptr<kafka::KafkaProducer> producer_;  // the forwarder's
  std::unique_ptr<forward::Forwarder> forwarder_;
  std::unique_ptr<pipeline::Pipeline> pipeline_;
  std::unique_ptr<ingest::MqttIngest> ingest_;
  std::unique_ptr<local_alerts::AlertTopicPublisher> alert_topic_;  // when mqtt.alerts is on
  std::unique_ptr<http::OpsServer> http_;
  LogThrottle store_error_log_;  // one line per storm of messages the log refuses
  // With analytics and a checkpoint interval: its state across restarts.
  std::unique_ptr<AnalyticsCheckpointer> checkpointer_;
  // The ticker drives time-based analytics (windows of quiet devices, silence alerts).
  std::thread ticker_;
  std::mutex ticker_mutex_;
  std::condition_variable ticker_wake_;
  bool ticker_stop_ = false;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace edgegw::app
