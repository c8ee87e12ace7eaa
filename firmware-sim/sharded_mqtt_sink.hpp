#pragma once
// Publishes over several MQTT connections at once. One Paho client costs far more per
// message than generation does (a thread hand-off and a write per message), so a single
// connection can be the bottleneck of a gateway benchmark. Devices are spread over the
// connections by index, each device always on the same one, so that per-device order
// (and so the contiguous sequence numbers) holds; there is no order across devices.
//
// Threads: publish() and flush() from the runner's thread; one worker thread per
// connection takes queued messages and hands them to its MqttPublisher.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "message_sink.hpp"
#include "mqtt_sink.hpp"

namespace edgegw::sim {

class ShardedMqttSink final : public MessageSink {
 public:
  // Opens `connections` clients, `<client_id>-1` … `-N`, each with an equal share of
  // max_buffered and of max_pending, the latter capped at 256 over all connections (see
  // the .cpp). Throws like MqttSink when the broker is unreachable.
  ShardedMqttSink(const MqttSinkConfig& config, std::size_t connections,
                  const std::atomic<bool>& stop);
  ~ShardedMqttSink() override;

  bool publish(const Message& m) override;
  std::uint64_t flush(std::chrono::milliseconds timeout) override;
  [[nodiscard]] std::uint64_t resent() const override;

 private:
  struct Shard;

  void work(Shard& shard);
  // Until every queue is handed over (or refused), at most until `deadline`.
  void wait_drained(std::chrono::steady_clock::time_point deadline);

  const std::atomic<bool>& stop_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace edgegw::sim
