#include "kafka/topic_probe.hpp"

#include "metrics/metrics.hpp"

namespace edgegw::kafka {

void report_metrics(const TopicProbe& probe, metrics::Sink& sink) {
  using metrics::Type;
  sink.add({"kafka_topics_missing", Type::gauge,
            "Declared topics the cluster lacks after topic management's latest round "
            "(kafka.manage_topics)."},
           probe.missing.load());
  sink.add({"kafka_topics_differing", Type::gauge,
            "Topics whose partitions, replication or configs differ from the declared ones "
            "(reported, never changed)."},
           probe.differing.load());
  sink.add({"kafka_topics_created_total", Type::counter, "Topics created by topic management."},
           probe.created.load());
  sink.add({"kafka_topic_check_errors_total", Type::counter,
            "Rounds of topic management the cluster did not answer in kafka.admin_timeout "
            "(each retried)."},
           probe.check_errors.load());
}

}  // namespace edgegw::kafka
