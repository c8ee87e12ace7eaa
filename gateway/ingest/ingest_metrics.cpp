#include <fmt/format.h>

#include "ingest/ingest_probe.hpp"
#include "metrics/metrics.hpp"

namespace edgegw::ingest {
namespace {

// Success (0x00) always has a series, so that the family shows from the start; other
// codes once the broker sent them.
void report_reason_codes(const IngestProbe& p, metrics::Sink& sink) {
  const metrics::Family family{
      "mqtt_reason_codes_total", metrics::Type::counter,
      "Reason codes the broker sent: `connack` (each connect; MQTT 3.1.1 return codes too), "
      "`suback` (one per filter; 0x00-0x02 grant a QoS), `disconnect` (MQTT 5: the broker "
      "closing the connection, e.g. 0x8e session taken over). `code` is hex; the log says "
      "what a failure means."};
  for (const BrokerPacket packet :
       {BrokerPacket::connack, BrokerPacket::suback, BrokerPacket::disconnect}) {
    const auto& counts = p.reason_codes.at(static_cast<std::size_t>(packet));
    for (int code = 0; code < IngestProbe::kCodes; ++code) {
      const std::uint64_t n = counts.at(static_cast<std::size_t>(code)).load();
      if (n > 0 || code == 0) {
        const std::string hex = fmt::format("0x{:02x}", code);
        sink.add(family, static_cast<double>(n), {{"packet", packet_name(packet)}, {"code", hex}});
      }
    }
  }
}

}  // namespace

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
  report_reason_codes(p, sink);
}

}  // namespace edgegw::ingest
