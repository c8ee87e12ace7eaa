#include "forward/forwarder_metrics.hpp"

#include "metrics/metrics.hpp"

namespace edgegw::forward {

void report_metrics(const ForwarderProbe& p, metrics::Sink& sink) {
  using metrics::Type;
  const metrics::Family produced{"kafka_produced_total", Type::counter,
                                 "Log records handed to the Kafka producer, by stream."};
  for (std::size_t i = 0; i < kStreamCount; ++i) {
    sink.add(produced, static_cast<double>(p.produced.at(i).load()),
             {{"stream", stream_name(static_cast<Stream>(i))}});
  }
  const metrics::Family delivered{"kafka_delivered_total", Type::counter,
                                  "Log records acknowledged by Kafka, by stream."};
  for (std::size_t i = 0; i < kStreamCount; ++i) {
    sink.add(delivered, static_cast<double>(p.delivered.at(i).load()),
             {{"stream", stream_name(static_cast<Stream>(i))}});
  }
  sink.add({"kafka_delivery_retries_total", Type::counter,
            "Records produced again after a delivery timeout."},
           p.delivery_retries.load());
  sink.add({"kafka_delivery_failures_total", Type::counter,
            "Records Kafka refused for good (each reported on the dead-letter stream)."},
           p.delivery_failures.load());
  sink.add({"kafka_in_flight", Type::gauge, "Records produced and not yet acknowledged."},
           p.in_flight.load());
  sink.add({"kafka_brokers_down", Type::gauge,
            "1 when no Kafka broker is reachable (records wait in the log)."},
           p.brokers_down.load());
  sink.add({"kafka_committed_offset", Type::gauge,
            "Log offset below which Kafka acknowledged every record and the cursor was saved."},
           p.committed_offset.load());
  sink.add({"kafka_transactions_committed_total", Type::counter,
            "kafka.delivery exactly_once: transactions committed (a log range and its cursor)."},
           p.transactions_committed.load());
  sink.add({"kafka_transactions_aborted_total", Type::counter,
            "kafka.delivery exactly_once: transactions aborted; their range is sent again."},
           p.transactions_aborted.load());
  sink.add({"kafka_transactions_stopped", Type::gauge,
            "kafka.delivery exactly_once: 1 when the producer hit a fatal error (fenced by "
            "another producer with the same transactional id): nothing is forwarded."},
           p.transactions_stopped.load());
  sink.add({"log_loss_reports_total", Type::counter,
            "Lost log ranges (damaged or dropped) reported on the dead-letter stream."},
           p.loss_reports.load());
  sink.add({"log_read_errors_total", Type::counter, "Errors reading the log."},
           p.read_errors.load());
  sink.add({"log_commit_errors_total", Type::counter, "Errors saving the log cursor."},
           p.commit_errors.load());
}

}  // namespace edgegw::forward
