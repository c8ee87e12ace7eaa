#include "local_alerts/alert_topic_publisher.hpp"

#include <spdlog/spdlog.h>

#include "edgegw/text.hpp"
#include "local_alerts/alert_topic.hpp"
#include "metrics/metrics.hpp"

namespace edgegw::local_alerts {
namespace {

int severity_rank(std::string_view severity) {
  if (severity == "critical") {
    return 2;
  }
  return severity == "warning" ? 1 : 0;
}

mqtt_publish::MqttPublisherConfig publisher_config(const MqttConfig& mqtt) {
  mqtt_publish::MqttPublisherConfig c;
  c.broker = mqtt.broker;
  c.client_id = mqtt.client_id + "-alerts";
  c.username = mqtt.username;
  c.password = mqtt.password;
  c.tls = mqtt.tls;
  c.max_pending = mqtt.alerts.max_buffered;
  c.max_buffered = mqtt.alerts.max_buffered;
  c.when_full = mqtt_publish::WhenFull::drop_oldest;  // never hold up the pipeline
  c.wait_for_connection = false;
  return c;
}

}  // namespace

AlertTopicPublisher::AlertTopicPublisher(const MqttConfig& mqtt, std::string gateway_id)
    : config_(mqtt.alerts),
      gateway_id_(std::move(gateway_id)),
      min_severity_rank_(severity_rank(mqtt.alerts.min_severity)),
      publisher_(publisher_config(mqtt), stop_) {
  spdlog::info("Alerts are also published on MQTT. topic={} qos={} retain={} min_severity={}",
               config_.topic, config_.qos, config_.retain, config_.min_severity);
}

AlertTopicPublisher::~AlertTopicPublisher() {
  stop_ = true;
}

void AlertTopicPublisher::publish(const analytics::Alert& alert, std::string_view record) {
  const std::string_view severity = analytics::severity_name(alert.severity);
  if (severity_rank(severity) < min_severity_rank_) {
    ++filtered_;
    return;
  }
  const std::string topic =
      alert_topic(config_.topic, gateway_id_, alert.device, alert.source, severity);
  if (const auto problem = publish_topic_problem(topic)) {
    ++refused_;
    if (const auto held_back = refusal_log_.admit()) {
      spdlog::warn(
          "An alert was not published on MQTT (it is on the alerts stream): {}. topic={} "
          "similar_lines_held_back={}",
          *problem, printable(topic), *held_back);
    }
    return;
  }
  publisher_.publish(topic, record, config_.qos, config_.retain);
  ++published_;
}

void AlertTopicPublisher::flush(std::chrono::milliseconds timeout) {
  if (const std::uint64_t left = publisher_.flush(timeout); left > 0) {
    spdlog::warn(
        "Alerts not delivered on MQTT at shutdown (they are on the alerts stream). "
        "count={}",
        left);
  }
}

AlertTopicStats AlertTopicPublisher::stats() const {
  return {published_.load(), filtered_.load(), refused_.load(), publisher_.stats()};
}

void report_metrics(const AlertTopicStats& s, metrics::Sink& sink) {
  using metrics::Type;
  sink.add({"mqtt_alerts_connected", Type::gauge, "1 while the alert publisher is connected."},
           s.mqtt.connected);
  sink.add({"mqtt_alerts_published_total", Type::counter,
            "Alert records handed to the local MQTT topic (mqtt.alerts)."},
           s.published);
  sink.add({"mqtt_alerts_filtered_total", Type::counter,
            "Alert records below mqtt.alerts.min_severity, not published."},
           s.filtered);
  sink.add({"mqtt_alerts_refused_total", Type::counter,
            "Alert records not published because their filled-in topic is no valid MQTT "
            "topic (too long, a wildcard, not UTF-8); they are on the alerts stream."},
           s.refused);
  sink.add({"mqtt_alerts_accepted_total", Type::counter,
            "Alert records the MQTT client accepted for delivery."},
           s.mqtt.accepted);
  sink.add(
      {"mqtt_alerts_delivered_total", Type::counter, "Alert records the MQTT broker acknowledged."},
      s.mqtt.delivered);
  sink.add({"mqtt_alerts_resent_total", Type::counter,
            "Alert records sent again on a new connection (an actuator may see them twice)."},
           s.mqtt.resent);
  sink.add({"mqtt_alerts_dropped_total", Type::counter,
            "Alert records dropped from the MQTT buffer while the broker was away: lost for "
            "actuation, still on the alerts stream."},
           s.mqtt.dropped);
  sink.add({"mqtt_alerts_connection_losses_total", Type::counter,
            "Connections of the alert publisher lost."},
           s.mqtt.connection_losses);
}

}  // namespace edgegw::local_alerts
