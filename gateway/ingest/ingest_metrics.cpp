#include "ingest/ingest_probe.hpp"
#include "metrics/metrics.hpp"

namespace edgegw::ingest {

void report_metrics(const IngestProbe& p, metrics::Sink& sink) {
  using metrics::Type;
  sink.add({"mqtt_connected", Type::gauge, "1 when connected to the MQTT broker."},
           p.connected.load());
  sink.add({"mqtt_subscribed", Type::gauge,
            "1 when subscribed and no filter was refused since (see "
            "mqtt_subscriptions_refused_total)."},
           p.subscribed.load());
  sink.add({"mqtt_subscriptions_refused_total", Type::counter,
            "Subscriptions the broker refused (an ACL, a bad filter); each is asked again with "
            "backoff and the log names the filter."},
           p.subscriptions_refused.load());
  sink.add({"mqtt_messages_total", Type::counter, "MQTT messages received."}, p.messages.load());
  sink.add({"mqtt_bytes_total", Type::counter, "MQTT payload bytes received."}, p.bytes.load());
  sink.add({"mqtt_connects_total", Type::counter, "Successful MQTT connections."},
           p.connects.load());
  sink.add({"mqtt_connection_losses_total", Type::counter, "MQTT connections lost."},
           p.connection_losses.load());
  sink.add({"mqtt_connect_failures_total", Type::counter,
            "Failed MQTT connection attempts (the log says why: address, credentials, TLS)."},
           p.connect_failures.load());
  sink.add(
      {"mqtt_callback_errors_total", Type::counter, "Errors raised while handling MQTT callbacks."},
      p.callback_errors.load());
}

}  // namespace edgegw::ingest
