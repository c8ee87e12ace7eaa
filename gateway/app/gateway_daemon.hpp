#pragma once
// The one place where the daemon's parts are wired together: durable log, forwarder,
// pipeline (mapper → log), MQTT ingest and the operations endpoint. Tests build it the
// same way the `run` command does.
//
// Lifetime: construct (opens and recovers the log, creates the Kafka producer; throws
// on a config or start-up problem), start(), then stop() once from the owner thread.
//
// A reload that keeps the MQTT session (reload_in_place) swaps the pipeline (mappings,
// analytics, maintenance) and, if Kafka's settings changed, the forwarder, between two
// messages: the connection to the broker stays up, so no message waits in the broker
// and none is acknowledged late. Every other change needs a new gateway
// (config_reload.hpp).

#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/forwarding.hpp"
#include "edgegw/analytics/alert.hpp"
#include "edgegw/config.hpp"
#include "edgegw/log_throttle.hpp"
#include "edgegw/message_properties.hpp"
#include "http/deferred_reply.hpp"

namespace edgegw::store {
class DurableLog;
}
namespace edgegw::kafka {
class TopicManager;
}  // namespace edgegw::kafka
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
  // `on_reload_request` receives POST /-/reload from the operations endpoint (it must
  // outlive the gateway); without one the endpoint does not serve that path.
  explicit GatewayDaemon(GatewayConfig config, http::ReloadHandler on_reload_request = {});
  ~GatewayDaemon();
  GatewayDaemon(const GatewayDaemon&) = delete;
  GatewayDaemon& operator=(const GatewayDaemon&) = delete;

  void start();
  // Stops taking messages, makes the log durable, flushes the producer (waiting up to
  // flush_timeout), saves the cursor. Safe to call twice.
  void stop(std::chrono::milliseconds flush_timeout);

  // Whether `next` differs only in what reload_in_place can swap: the same gateway id,
  // MQTT settings, subscriptions, buffer and HTTP endpoint.
  [[nodiscard]] bool can_reload_in_place(const GatewayConfig& next) const;
  // Applies `next` while the gateway runs, keeping its MQTT session, log and detector
  // state (through the analytics checkpoint, for unchanged profiles). The new parts are
  // built first: when that throws (a model file that does not load), nothing changed.
  // Returns false, with nothing changed, when the message being handled does not finish
  // within `flush_timeout` (a full log under `block`): the caller restarts instead.
  bool reload_in_place(const GatewayConfig& next, std::chrono::milliseconds flush_timeout);

  [[nodiscard]] const GatewayConfig& config() const { return *config_; }
  [[nodiscard]] std::string metrics_text() const;
  [[nodiscard]] bool ready() const;
  [[nodiscard]] std::string status_text() const;

 private:
  void on_message(std::string_view topic, std::string_view payload,
                  const MessageProperties& properties);
  void on_alert(const analytics::Alert& alert, std::string_view record);
  std::unique_ptr<AnalyticsCheckpointer> make_checkpointer();
  void start_ticker();
  void stop_ticker();
  void tick_loop();
  void swap_forwarder(const GatewayConfig& next, std::chrono::milliseconds flush_timeout);

  // Components keep references into it; a reload in place replaces it with the pipeline.
  std::unique_ptr<const GatewayConfig> config_;
  std::unique_ptr<store::DurableLog> log_;
  Forwarding forwarding_;  // the forwarder and its Kafka clients
  // When kafka.manage_topics is on and a topic is declared: checks (and creates) the
  // topics, at start only.
  std::unique_ptr<kafka::TopicManager> topics_;
  std::unique_ptr<pipeline::Pipeline> pipeline_;
  std::unique_ptr<ingest::MqttIngest> ingest_;
  std::unique_ptr<local_alerts::AlertTopicPublisher> alert_topic_;  // when mqtt.alerts is on
  std::unique_ptr<http::OpsServer> http_;
  LogThrottle store_error_log_;  // one line per storm of messages the log refuses
  // With analytics and a checkpoint interval: its state across restarts.
  std::unique_ptr<AnalyticsCheckpointer> checkpointer_;
  // Shared by whoever uses the parts a reload in place swaps (config_, pipeline_,
  // checkpointer_, forwarding_): the MQTT callback, the ticker, /metrics.
  // Exclusive while they are swapped.
  mutable std::shared_timed_mutex parts_mutex_;
  // While swapping, the old pipeline's last alerts wait here: publishing them on the
  // local topic then could wait for the MQTT client's lock, which the callback holds
  // while it waits for parts_mutex_.
  bool deferring_alerts_ = false;
  std::vector<std::pair<analytics::Alert, std::string>> deferred_alerts_;
  // The ticker drives time-based analytics (windows of quiet devices, silence alerts).
  std::thread ticker_;
  std::mutex ticker_mutex_;
  std::condition_variable ticker_wake_;
  bool ticker_stop_ = false;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace edgegw::app
