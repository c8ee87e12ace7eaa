#pragma once
// Topic management's outcome, read by /metrics from the HTTP thread while the topic
// manager's thread writes it (relaxed atomics: each is an independent figure).

#include <atomic>
#include <cstdint>

namespace edgegw::metrics {
class Sink;
}

namespace edgegw::kafka {

struct TopicProbe {
  std::atomic<std::uint64_t> missing{0};    // after the latest completed round
  std::atomic<std::uint64_t> differing{0};  // after the latest completed round
  std::atomic<std::uint64_t> created{0};
  std::atomic<std::uint64_t> check_errors{0};  // rounds the cluster did not answer
};

void report_metrics(const TopicProbe& probe, metrics::Sink& sink);

}  // namespace edgegw::kafka
