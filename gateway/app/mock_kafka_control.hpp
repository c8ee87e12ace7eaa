#pragma once
// `edgegw mock-kafka --control`: commands read one a line (from stdin) that change the
// mock cluster while it runs, so that a script can take Kafka away from a gateway and
// give it back. Each command answers one line: "ok <command>" or "error: <why>".
//
//   down / up      every broker down (connections closed, new ones refused) / up again
//   rtt MS         every broker answers MS milliseconds late
//   hang / resume  every broker keeps its connections but stops answering (an rtt of an
//                  hour) / answers again with the rtt set before. A reply already held
//                  back leaves when its connection next wakes up: a client that timed
//                  the request out and reconnected sees the cluster at once.

#include <string>
#include <string_view>

#include "kafka/mock_cluster.hpp"

namespace edgegw::app {

class MockKafkaControl {
 public:
  explicit MockKafkaControl(kafka::MockCluster& cluster) : cluster_(cluster) {}

  // Applies one command line; returns the answer (without newline).
  std::string apply(std::string_view line);

 private:
  void set_rtt_everywhere(int rtt_ms);

  kafka::MockCluster& cluster_;
  int rtt_ms_ = 0;  // the rtt `resume` returns to
};

}  // namespace edgegw::app
