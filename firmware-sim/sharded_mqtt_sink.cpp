#include "sharded_mqtt_sink.hpp"

#include <algorithm>
#include <string>

namespace edgegw::sim {
namespace {

// Messages queued per connection before publish() blocks: enough to keep a worker busy
// across the runner's scheduling gaps, small next to max_pending.
constexpr std::size_t kQueueBound = 1024;
constexpr auto kWaitSlice = std::chrono::milliseconds(100);
// A worker is woken once this many messages wait, and otherwise looks every millisecond:
// a wake-up per message would cost a context switch each, as much as the publish itself.
constexpr std::size_t kWakeBatch = 64;
constexpr auto kIdlePoll = std::chrono::milliseconds(1);

// At most this many messages await acknowledgement over all connections. Paho C keeps one
// command list for all clients of a process and scans it for a sendable command: with
// thousands queued across several clients, CPU per message grew fourfold (4 clients of
// 2500 each), while a window of a few hundred keeps a loopback broker busy.
constexpr std::size_t kPendingOverAll = 256;
constexpr std::size_t kMinPending = 16;

MqttSinkConfig shard_config(MqttSinkConfig c, std::size_t index, std::size_t connections) {
  c.client_id += "-" + std::to_string(index + 1);
  c.max_pending = std::max(kMinPending, std::min(c.max_pending, kPendingOverAll) / connections);
  c.max_buffered = std::max<std::size_t>(1, c.max_buffered / connections);
  return c;
}

}  // namespace

struct ShardedMqttSink::Shard {
  Shard(const MqttSinkConfig& config, const std::atomic<bool>& stop) : sink(config, stop) {}

  MqttSink sink;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Message> queue;
  bool busy = false;          // the worker is publishing messages it took from the queue
  bool failed = false;        // the publisher refused a message: the run is stopping
  std::uint64_t refused = 0;  // taken from the runner, refused by the publisher
  bool closing = false;       // the sink is being destroyed
  std::thread worker;
};

ShardedMqttSink::ShardedMqttSink(const MqttSinkConfig& config, std::size_t connections,
                                 const std::atomic<bool>& stop)
    : stop_(stop) {
  for (std::size_t i = 0; i < connections; ++i) {
    shards_.push_back(std::make_unique<Shard>(shard_config(config, i, connections), stop));
  }
  for (auto& shard : shards_) {
    shard->worker = std::thread([this, s = shard.get()] { work(*s); });
  }
}

ShardedMqttSink::~ShardedMqttSink() {
  for (auto& shard : shards_) {
    {
      const std::lock_guard lock(shard->mu);
      shard->closing = true;
    }
    shard->cv.notify_all();
  }
  for (auto& shard : shards_) {
    shard->worker.join();
  }
}

bool ShardedMqttSink::publish(const Message& m) {
  Shard& shard = *shards_[m.ordering_device() % shards_.size()];
  std::unique_lock lock(shard.mu);
  while (shard.queue.size() >= kQueueBound && !shard.failed && !stop_.load()) {
    shard.cv.wait_for(lock, kWaitSlice);
  }
  if (shard.failed || stop_.load()) {
    return false;
  }
  shard.queue.push_back(m);
  if (shard.queue.size() == kWakeBatch) {
    lock.unlock();
    shard.cv.notify_all();
  }
  return true;
}

void ShardedMqttSink::work(Shard& shard) {
  std::deque<Message> batch;
  std::unique_lock lock(shard.mu);
  while (true) {
    while (shard.queue.empty() && !shard.closing) {
      shard.cv.wait_for(lock, kIdlePoll);
    }
    if (shard.queue.empty()) {
      return;  // closing, and nothing left
    }
    // Take the whole queue at once: one lock round per batch, not per message.
    batch.swap(shard.queue);
    shard.busy = true;
    // After one refusal nothing more goes out: a later message of the same device would
    // leave a gap in its sequence.
    const bool refuse = shard.failed;
    lock.unlock();
    shard.cv.notify_all();  // room for the runner
    std::size_t accepted = 0;
    while (!refuse && accepted < batch.size() && shard.sink.publish(batch[accepted])) {
      ++accepted;
    }
    lock.lock();
    shard.busy = false;
    shard.refused += batch.size() - accepted;
    shard.failed = shard.failed || accepted < batch.size();
    batch.clear();
    shard.cv.notify_all();  // flush() may be waiting for an idle worker
  }
}

void ShardedMqttSink::wait_drained(std::chrono::steady_clock::time_point deadline) {
  for (auto& shard : shards_) {
    std::unique_lock lock(shard->mu);
    shard->cv.wait_until(lock, deadline, [&shard] {
      return !shard->busy && (shard->queue.empty() || shard->failed);
    });
  }
}

std::uint64_t ShardedMqttSink::flush(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  wait_drained(deadline);
  std::uint64_t undelivered = 0;
  for (auto& shard : shards_) {
    {
      const std::lock_guard lock(shard->mu);
      undelivered += shard->queue.size() + shard->refused;
    }
    const auto left = std::max(std::chrono::steady_clock::duration::zero(),
                               deadline - std::chrono::steady_clock::now());
    undelivered += shard->sink.flush(std::chrono::duration_cast<std::chrono::milliseconds>(left));
  }
  return undelivered;
}

std::uint64_t ShardedMqttSink::resent() const {
  std::uint64_t n = 0;
  for (const auto& shard : shards_) {
    n += shard->sink.resent();
  }
  return n;
}

}  // namespace edgegw::sim
