#pragma once
// Reads the fleet's alerts, aggregates and predictions topics in a Kafka consumer group
// and hands each record to a callback, on a thread of its own.
//
// The state it feeds lives in memory only, so by default (kafka.start: earliest) a
// partition assigned for the first time in this process is read from its earliest
// retained record: a restarted dashboard rebuilds the open alerts from what Kafka still
// holds. A partition assigned again after a rebalance resumes from the committed offset,
// its records being in the state already. With `committed`, every partition resumes from
// the group's committed offset (a new group: the earliest). Offsets are committed
// automatically, and finally on stop. librdkafka reconnects by itself when the cluster
// goes away; meanwhile status() says since when it has been unreachable.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "dashboard/fleet_records.hpp"
#include "edgegw/dashboard_config.hpp"
#include "kafka/kafka_handles.hpp"

namespace edgegw::dashboard {

struct KafkaStatus {
  bool reachable = true;
  std::int64_t unreachable_since_ms = 0;  // wall clock; 0 while reachable
  std::string last_error;
};

class FleetConsumer {
 public:
  using OnRecord = std::function<void(RecordKind kind, std::string_view payload)>;

  // Throws config::ConfigError when librdkafka refuses the configuration.
  FleetConsumer(DashboardKafkaConfig config, OnRecord on_record);
  ~FleetConsumer();
  FleetConsumer(const FleetConsumer&) = delete;
  FleetConsumer& operator=(const FleetConsumer&) = delete;

  void start();
  void stop();  // commits what was consumed and leaves the group
  [[nodiscard]] KafkaStatus status() const;
  [[nodiscard]] std::uint64_t consumed() const { return consumed_.load(); }

 private:
  // What librdkafka's callbacks touch (their opaque). Shared with a close still running
  // when stop() gives up on it, so that it outlives this object.
  struct CallbackState {
    bool replay_retained = true;
    std::set<std::pair<std::string, int>> replayed;  // partitions read from their start
    mutable std::mutex status_mutex;
    KafkaStatus status;

    void mark_unreachable(std::string reason);
    void mark_reachable();
  };

  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque);
  static void assign(CallbackState& state, rd_kafka_t* rk,
                     rd_kafka_topic_partition_list_t* partitions);
  static void revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* partitions);
  void run();
  void handle(const rd_kafka_message_t& message);
  void probe_cluster();

  DashboardKafkaConfig config_;
  OnRecord on_record_;
  std::shared_ptr<CallbackState> callbacks_ = std::make_shared<CallbackState>();
  kafka::KafkaHandle consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> consumed_{0};
};

}  // namespace edgegw::dashboard
