#include "app/gateway_daemon.hpp"

#include <spdlog/spdlog.h>

#include "app/analytics_checkpointer.hpp"
#include "app/forwarding.hpp"
#include "app/metrics_report.hpp"
#include "edgegw/clock.hpp"
#include "edgegw/log.hpp"
#include "edgegw/text.hpp"
#include "http/ops_server.hpp"
#include "ingest/mqtt_ingest.hpp"
#include "ingest/paho_session.hpp"
#include "kafka/rdkafka_producer.hpp"
#include "kafka/rdkafka_topic_admin.hpp"
#include "kafka/topic_manager.hpp"
#include "local_alerts/alert_topic_publisher.hpp"
#include "pipeline/message_router.hpp"
#include "pipeline/pipeline.hpp"

namespace edgegw::app {
GatewayDaemon::GatewayDaemon(GatewayConfig config, http::ReloadHandler on_reload_request)
    : config_(std::make_unique<const GatewayConfig>(std::move(config))) {
  log_ = store::DurableLog::open(config_->buffer);
  forwarding_ = make_forwarding(*config_, *log_);
  // A config that declares no topic (every config before topics could be declared)
  // keeps the start it had: no admin requests, no warnings.
  if (config_->kafka.manage_topics != TopicManagement::off &&
      !config_->kafka.topic_settings.empty()) {
    topics_ =
        std::make_unique<kafka::TopicManager>(config_->kafka, [kafka_config = config_->kafka] {
          return std::make_unique<kafka::RdKafkaTopicAdmin>(kafka_config);
        });
  }
  pipeline_ = std::make_unique<pipeline::Pipeline>(*config_, *log_);
  if (config_->mqtt.alerts.enabled) {
    alert_topic_ =
        std::make_unique<local_alerts::AlertTopicPublisher>(config_->mqtt, config_->gateway_id);
    pipeline_->set_alert_listener([this](const analytics::Alert& alert, std::string_view record) {
      on_alert(alert, record);
    });
  }
  std::vector<std::string> filters = config_->mqtt.subscriptions.empty()
                                         ? pipeline_->subscription_filters()
                                         : config_->mqtt.subscriptions;
  // Fixed for the session's life: a reload that changes it restarts the gateway.
  const bool read_properties = pipeline_->reads_message_properties();
  ingest_ = std::make_unique<ingest::MqttIngest>(
      config_->mqtt, std::move(filters),
      std::make_unique<ingest::PahoSession>(config_->mqtt, read_properties),
      [this](std::string_view topic, std::string_view payload,
             const MessageProperties& properties) { on_message(topic, payload, properties); });
  checkpointer_ = make_checkpointer();
  if (config_->http.enabled) {
    http_ = std::make_unique<http::OpsServer>(
        config_->http,
        http::OpsHandlers{[this] { return metrics_text(); }, [this] { return ready(); },
                          [this] { return status_text(); }, std::move(on_reload_request)});
  }
}

std::unique_ptr<AnalyticsCheckpointer> GatewayDaemon::make_checkpointer() {
  if (!config_->analytics.enabled || config_->analytics.checkpoint_interval_ms <= 0) {
    return nullptr;
  }
  return std::make_unique<AnalyticsCheckpointer>(*pipeline_, config_->buffer.directory,
                                                 config_->analytics.checkpoint_interval_ms);
}

GatewayDaemon::~GatewayDaemon() {
  stop(std::chrono::seconds(0));
}

void GatewayDaemon::start() {
  if (checkpointer_) {
    checkpointer_->restore(wall_clock_ms());  // before the first message
  }
  if (http_) {
    http_->start();
  }
  if (config_->kafka.delivery == KafkaDelivery::exactly_once) {
    // Before the forwarder, the log's only reader, starts.
    const pipeline::RecallResult recalled = pipeline_->recall_sequences(wall_clock_ms());
    spdlog::info("Device sequence numbers recalled from the log's tail. records={} devices={}",
                 recalled.records, recalled.devices);
  }
  forwarding_.forwarder->start();
  if (topics_) {
    topics_->start();  // in the background: ingest does not wait for the cluster
  }
  ingest_->start();
  // Always: idle per-device state (sequence numbers, maintenance) is evicted on the tick
  // even when analytics is off.
  start_ticker();
  started_ = true;
  const store::LogStats stats = log_->stats();
  spdlog::info("Gateway started. id={} broker={} kafka={} backlog_records={}", config_->gateway_id,
               config_->mqtt.broker, config_->kafka.bootstrap_servers,
               stats.end_offset - stats.cursor);
}

void GatewayDaemon::on_message(std::string_view topic, std::string_view payload,
                               const MessageProperties& properties) {
  const std::shared_lock parts(parts_mutex_);
  const Status status = pipeline_->on_message(topic, payload, wall_clock_ms(), properties);
  if (!status) {
    if (const auto held_back = store_error_log_.admit()) {
      spdlog::error(
          "A message could not be stored in the log. topic={} error={} "
          "similar_lines_held_back={}",
          printable(topic), status.error().message, *held_back);
    }
  }
}

// Called under parts_mutex_ (shared from the callback and the ticker, exclusive while
// swapping), so deferring_alerts_ needs no lock of its own.
void GatewayDaemon::on_alert(const analytics::Alert& alert, std::string_view record) {
  if (deferring_alerts_) {
    deferred_alerts_.emplace_back(alert, std::string(record));
    return;
  }
  alert_topic_->publish(alert, record);
}

void GatewayDaemon::start_ticker() {
  ticker_stop_ = false;
  ticker_ = std::thread([this] { tick_loop(); });
}

void GatewayDaemon::stop_ticker() {
  {
    const std::lock_guard lock(ticker_mutex_);
    ticker_stop_ = true;
  }
  ticker_wake_.notify_all();
  if (ticker_.joinable()) {
    ticker_.join();
  }
}

void GatewayDaemon::tick_loop() {
  constexpr auto kTickPeriod = std::chrono::seconds(1);
  std::unique_lock lock(ticker_mutex_);
  while (!ticker_wake_.wait_for(lock, kTickPeriod, [this] { return ticker_stop_; })) {
    const std::shared_lock parts(parts_mutex_);
    if (const Status s = pipeline_->on_tick(wall_clock_ms()); !s) {
      spdlog::error("Analytics records could not be stored in the log. error={}",
                    s.error().message);
    }
    if (checkpointer_) {
      checkpointer_->maybe_save(wall_clock_ms());  // the engine is copied between messages
    }
  }
}

bool GatewayDaemon::can_reload_in_place(const GatewayConfig& next) const {
  if (next.gateway_id != config_->gateway_id || !(next.mqtt == config_->mqtt) ||
      !(next.buffer == config_->buffer) || !(next.http == config_->http)) {
    return false;
  }
  try {
    const pipeline::MessageRouter next_router(next);
    const std::vector<std::string> filters = next.mqtt.subscriptions.empty()
                                                 ? next_router.subscription_filters()
                                                 : next.mqtt.subscriptions;
    // The session copies message properties only if the mappings it started with read them.
    return filters == ingest_->filters() &&
           next_router.reads_message_properties() == pipeline_->reads_message_properties();
  } catch (const std::exception&) {
    return false;  // mappings that do not compile: the restart path reports why
  }
}

bool GatewayDaemon::reload_in_place(const GatewayConfig& next,
                                    std::chrono::milliseconds flush_timeout) {
  // Built before anything stops: if it throws, the running gateway is untouched.
  auto next_config = std::make_unique<const GatewayConfig>(next);
  auto next_pipeline = std::make_unique<pipeline::Pipeline>(*next_config, *log_);
  if (alert_topic_) {
    next_pipeline->set_alert_listener([this](const analytics::Alert& alert,
                                             std::string_view record) { on_alert(alert, record); });
  }
  stop_ticker();
  std::unique_lock parts(parts_mutex_, std::defer_lock);
  // Waits for the message being handled; a full log under `block` may hold it for long.
  if (!parts.try_lock_for(flush_timeout)) {
    start_ticker();
    return false;
  }
  deferring_alerts_ = true;
  if (Status s = pipeline_->flush(); !s) {  // the old windows close under the old rules
    spdlog::error("Analytics windows could not be stored at the reload. error={}",
                  s.error().message);
  }
  if (checkpointer_) {
    checkpointer_->save(wall_clock_ms());
  }
  const bool kafka_changed = !(next_config->kafka == config_->kafka);
  pipeline_ = std::move(next_pipeline);
  std::swap(config_, next_config);  // the old config goes after the old forwarder
  checkpointer_ = make_checkpointer();
  if (checkpointer_) {
    checkpointer_->restore(wall_clock_ms());  // detectors of unchanged profiles go on
  }
  deferring_alerts_ = false;
  parts.unlock();
  for (const auto& [alert, record] : std::exchange(deferred_alerts_, {})) {
    alert_topic_->publish(alert, record);
  }
  if (kafka_changed) {
    swap_forwarder(*config_, flush_timeout);
  }
  start_ticker();
  spdlog::info("Config reloaded in place; the MQTT session stays. kafka_changed={}", kafka_changed);
  return true;
}

// The forwarder sends what the log holds: the old one flushes what is in flight, the new
// one goes on from the cursor with the new topics and settings.
void GatewayDaemon::swap_forwarder(const GatewayConfig& next,
                                   std::chrono::milliseconds flush_timeout) {
  Forwarding forwarding = make_forwarding(next, *log_);
  forwarding_.forwarder->stop(flush_timeout);
  {
    const std::unique_lock parts(parts_mutex_);
    forwarding_ = std::move(forwarding);  // the forwarder before the producer it used
  }
  forwarding_.forwarder->start();
}

void GatewayDaemon::stop(std::chrono::milliseconds flush_timeout) {
  if (stopped_ || !started_) {
    return;
  }
  stopped_ = true;
  pipeline_->stop();  // releases a callback waiting for log space
  if (topics_) {
    topics_->stop();  // waits for a request in progress, at most kafka.admin_timeout
  }
  ingest_->stop();  // no more messages
  stop_ticker();
  if (Status s = pipeline_->flush(); !s) {  // the last, partial analytics windows
    spdlog::error("Final analytics windows could not be stored. error={}", s.error().message);
  }
  if (checkpointer_) {
    checkpointer_->save(wall_clock_ms());  // after the flush: its windows are reported
  }
  if (alert_topic_) {
    alert_topic_->flush(std::chrono::seconds(2));  // the last alerts, while MQTT is still up
  }
  if (Status s = log_->sync(); !s) {
    spdlog::error("Final log sync failed. error={}", s.error().message);
  }
  forwarding_.forwarder->stop(flush_timeout);
  if (http_) {
    http_->stop();
  }
  const store::LogStats stats = log_->stats();
  spdlog::info("Gateway stopped. cursor={} end={} unsent_records={}", stats.cursor,
               stats.end_offset, stats.end_offset - stats.cursor);
}

std::string GatewayDaemon::metrics_text() const {
  const std::shared_lock parts(parts_mutex_);
  std::optional<local_alerts::AlertTopicStats> alert_topic;
  if (alert_topic_) {
    alert_topic = alert_topic_->stats();
  }
  return render_metrics({config_->gateway_id, log_->stats(), ingest_->probe(), pipeline_->probe(),
                         forwarding_.forwarder->probe(), pipeline_->analytics_enabled(),
                         pipeline_->analytics_stats(), alert_topic,
                         checkpointer_ ? &checkpointer_->probe() : nullptr,
                         http_ ? &http_->probe() : nullptr, topics_ ? &topics_->probe() : nullptr});
}

bool GatewayDaemon::ready() const {
  const std::shared_lock parts(parts_mutex_);
  return ingest_->probe().connected && ingest_->probe().subscribed &&
         !forwarding_.forwarder->probe().brokers_down &&
         !forwarding_.forwarder->probe().transactions_stopped &&
         !pipeline_->probe().storage_stalled;
}

std::string GatewayDaemon::status_text() const {
  const std::shared_lock parts(parts_mutex_);
  const store::LogStats stats = log_->stats();
  return fmt::format(
      "edgegw {}\nmqtt: {} ({})\nkafka: {} ({})\nlog: {} records unsent, {} bytes in {} "
      "segments\nmessages: {} received, {} dead-lettered\n",
      config_->gateway_id, config_->mqtt.broker,
      ingest_->probe().connected ? "connected" : "disconnected", config_->kafka.bootstrap_servers,
      forwarding_.forwarder->probe().brokers_down ? "unreachable" : "ok",
      stats.end_offset - stats.cursor, stats.bytes, stats.segments,
      ingest_->probe().messages.load(), pipeline_->probe().dead_letters_total());
}

}  // namespace edgegw::app
