#include "dashboard/fleet_consumer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>

#include "edgegw/log_throttle.hpp"
#include "kafka/kafka_conf.hpp"

namespace edgegw::dashboard {
namespace {

using namespace std::chrono_literals;

constexpr int kPollMs = 200;
// While the cluster is unreachable, how often a metadata request checks whether it is
// back (records may not flow for a while even when it is).
constexpr auto kProbeInterval = 2s;
// For the final commit and the group leave on stop.
constexpr auto kCloseTimeout = 5s;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Into the process's log, in its format; connection failures repeat while Kafka is away,
// so they are throttled (the page shows the outage).
void log_librdkafka(const rd_kafka_t* /*rk*/, int level, const char* facility, const char* buf) {
  static LogThrottle throttle;
  // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug
  const auto spd_level = level <= 3   ? spdlog::level::err
                         : level == 4 ? spdlog::level::warn
                         : level <= 6 ? spdlog::level::info
                                      : spdlog::level::debug;
  if (spd_level >= spdlog::level::warn) {
    const auto held = throttle.admit();
    if (!held) {
      return;
    }
    spdlog::log(spd_level, "librdkafka: {} {} held_back={}", facility, buf, *held);
    return;
  }
  spdlog::log(spd_level, "librdkafka: {} {}", facility, buf);
}

}  // namespace

FleetConsumer::FleetConsumer(DashboardKafkaConfig config, OnRecord on_record)
    : config_(std::move(config)), on_record_(std::move(on_record)) {
  std::map<std::string, std::string> properties = {
      {"auto.offset.reset", "earliest"},
      {"enable.auto.commit", "true"},
      {"client.id", "edgegw-dashboard"},
  };
  for (const auto& [name, value] : config_.properties) {
    properties[name] = value;
  }
  properties["bootstrap.servers"] = config_.bootstrap_servers;
  properties["group.id"] = config_.group;
  kafka::KafkaConf conf = kafka::make_conf(properties);
  rd_kafka_conf_set_error_cb(conf.get(), &FleetConsumer::on_error);
  rd_kafka_conf_set_log_cb(conf.get(), &log_librdkafka);
  rd_kafka_conf_set_rebalance_cb(conf.get(), &FleetConsumer::on_rebalance);
  callbacks_->replay_retained = config_.replay_retained;
  rd_kafka_conf_set_opaque(conf.get(), callbacks_.get());
  consumer_ = kafka::make_client(RD_KAFKA_CONSUMER, std::move(conf));
  rd_kafka_poll_set_consumer(consumer_.get());  // errors and rebalances come through poll
}

FleetConsumer::~FleetConsumer() {
  stop();
}

void FleetConsumer::start() {
  const std::string topics[] = {config_.alerts_topic, config_.aggregates_topic,
                                config_.predictions_topic};
  kafka::KafkaPartitionList list(rd_kafka_topic_partition_list_new(3));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), list.get()); err != 0) {
    throw std::runtime_error(fmt::format("cannot subscribe to {}, {}, {}: {}", topics[0], topics[1],
                                         topics[2], rd_kafka_err2str(err)));
  }
  spdlog::info("Dashboard consuming. bootstrap={} group={} topics={},{},{}",
               config_.bootstrap_servers, config_.group, topics[0], topics[1], topics[2]);
  thread_ = std::thread([this] { run(); });
}

void FleetConsumer::stop() {
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
  if (!consumer_) {
    return;
  }
  // The final commit and the leave need the group coordinator, and librdkafka waits for
  // it as long as it takes: with Kafka gone (or going down with us, as at the end of the
  // demo) that is forever. So the close gets a bound; past it the process stops without
  // it. Nothing is lost by that: the records of the last seconds are read again at the
  // next start.
  rd_kafka_t* rk = consumer_.release();
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> closed = done->get_future();
  std::thread([rk, done, callbacks = callbacks_] {  // the callbacks' state lives as long
    rd_kafka_consumer_close(rk);
    done->set_value();
  })
      .detach();
  if (closed.wait_for(kCloseTimeout) == std::future_status::ready) {
    rd_kafka_destroy(rk);
    return;
  }
  // The close goes on, on its thread, inside the handle: both stay with the process,
  // which is ending.
  spdlog::warn("Dashboard: Kafka did not take the final commit within {} s; stopping without it",
               std::chrono::duration_cast<std::chrono::seconds>(kCloseTimeout).count());
}

KafkaStatus FleetConsumer::status() const {
  const std::scoped_lock lock(callbacks_->status_mutex);
  return callbacks_->status;
}

void FleetConsumer::run() {
  auto next_probe = std::chrono::steady_clock::now();
  while (!stopping_.load()) {
    kafka::ConsumedMessage message(rd_kafka_consumer_poll(consumer_.get(), kPollMs));
    if (message) {
      handle(*message);
    }
    if (!status().reachable && std::chrono::steady_clock::now() >= next_probe) {
      next_probe = std::chrono::steady_clock::now() + kProbeInterval;
      probe_cluster();
    }
  }
}

void FleetConsumer::handle(const rd_kafka_message_t& message) {
  static LogThrottle throttle;
  if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    return;
  }
  if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (const auto held = throttle.admit()) {
      spdlog::warn("Dashboard: consumer error. error={} held_back={}",
                   rd_kafka_message_errstr(&message), *held);
    }
    return;
  }
  callbacks_->mark_reachable();
  const std::string topic = rd_kafka_topic_name(message.rkt);
  const std::string_view payload(static_cast<const char*>(message.payload), message.len);
  ++consumed_;
  if (topic == config_.alerts_topic) {
    on_record_(RecordKind::alert, payload);
  } else if (topic == config_.aggregates_topic) {
    on_record_(RecordKind::aggregate, payload);
  } else if (topic == config_.predictions_topic) {
    on_record_(RecordKind::prediction, payload);
  }
}

// A metadata answer from any broker means the cluster is back.
void FleetConsumer::probe_cluster() {
  const rd_kafka_metadata_t* metadata = nullptr;
  if (rd_kafka_metadata(consumer_.get(), 0, nullptr, &metadata, 500) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_metadata_destroy(metadata);
    callbacks_->mark_reachable();
  }
}

// The handle comes from librdkafka: on stop, the close that revokes the partitions runs
// after consumer_ has let go of it.
void FleetConsumer::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                 rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* state = static_cast<CallbackState*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    assign(*state, rk, partitions);
  } else {
    revoke(rk, partitions);
  }
}

void FleetConsumer::assign(CallbackState& state, rd_kafka_t* rk,
                           rd_kafka_topic_partition_list_t* partitions) {
  int replayed = 0;
  for (int i = 0; i < partitions->cnt; ++i) {
    rd_kafka_topic_partition_t& p = partitions->elems[i];
    if (state.replay_retained && state.replayed.emplace(p.topic, p.partition).second) {
      p.offset = RD_KAFKA_OFFSET_BEGINNING;
      ++replayed;
    }
  }
  spdlog::info("Dashboard: partitions assigned. count={} read_from_earliest={}", partitions->cnt,
               replayed);
  rd_kafka_error_t* error = nullptr;
  if (std::string_view(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE") {
    error = rd_kafka_incremental_assign(rk, partitions);
  } else if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk, partitions); err != 0) {
    spdlog::error("Dashboard: cannot take the partitions assigned. error={}",
                  rd_kafka_err2str(err));
  }
  if (error != nullptr) {
    spdlog::error("Dashboard: cannot take the partitions assigned. error={}",
                  rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
  }
}

void FleetConsumer::revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* partitions) {
  if (std::string_view(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE") {
    if (rd_kafka_error_t* error = rd_kafka_incremental_unassign(rk, partitions)) {
      rd_kafka_error_destroy(error);
    }
  } else {
    rd_kafka_assign(rk, nullptr);
  }
}

void FleetConsumer::on_error(rd_kafka_t* /*rk*/, int err, const char* reason, void* opaque) {
  auto* state = static_cast<CallbackState*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || err == RD_KAFKA_RESP_ERR__RESOLVE) {
    state->mark_unreachable(reason);
  }
}

void FleetConsumer::CallbackState::mark_unreachable(std::string reason) {
  const std::scoped_lock lock(status_mutex);
  if (status.reachable) {
    status.reachable = false;
    status.unreachable_since_ms = wall_ms();
    spdlog::warn("Dashboard: Kafka unreachable. reason={}", reason);
  }
  status.last_error = std::move(reason);
}

void FleetConsumer::CallbackState::mark_reachable() {
  const std::scoped_lock lock(status_mutex);
  if (!status.reachable) {
    spdlog::info("Dashboard: Kafka reachable again");
    status.reachable = true;
    status.unreachable_since_ms = 0;
  }
}

}  // namespace edgegw::dashboard
