#include "app/forwarding.hpp"

#include "forward/forwarder.hpp"
#include "forward/transactional_forwarder.hpp"

namespace edgegw::app {

Forwarding make_forwarding(const GatewayConfig& config, store::DurableLog& log) {
  Forwarding parts;
  parts.producer = std::make_unique<kafka::RdKafkaProducer>(config.kafka, config.gateway_id);
  if (config.kafka.delivery == KafkaDelivery::exactly_once) {
    parts.cursor_reader = std::make_unique<kafka::RdKafkaRecordReader>(config.kafka);
    parts.forwarder = std::make_unique<forward::TransactionalForwarder>(
        config.kafka, config.gateway_id, log, *parts.producer, *parts.producer,
        *parts.cursor_reader);
  } else {
    parts.forwarder =
        std::make_unique<forward::Forwarder>(config.kafka, config.gateway_id, log, *parts.producer);
  }
  return parts;
}

}  // namespace edgegw::app
