#pragma once
// The forwarder the config asks for (kafka.delivery) and the Kafka clients it uses, as
// one owned whole: the forwarder is declared last, so it goes first.

#include <memory>

#include "edgegw/config.hpp"
#include "edgegw/log.hpp"
#include "forward/log_forwarder.hpp"
#include "kafka/rdkafka_producer.hpp"
#include "kafka/rdkafka_record_reader.hpp"

namespace edgegw::app {

struct Forwarding {
  std::unique_ptr<kafka::RdKafkaProducer> producer;
  std::unique_ptr<kafka::RdKafkaRecordReader> cursor_reader;  // exactly_once only
  std::unique_ptr<forward::LogForwarder> forwarder;
};

// Throws ConfigError when librdkafka refuses the configuration.
Forwarding make_forwarding(const GatewayConfig& config, store::DurableLog& log);

}  // namespace edgegw::app
