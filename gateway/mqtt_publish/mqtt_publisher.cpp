#include "mqtt_publish/mqtt_publisher.hpp"

#include <spdlog/spdlog.h>

#include <mqtt/async_client.h>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "mqtt_publish/paho_options.hpp"

namespace edgegw::mqtt_publish {
namespace {

constexpr auto kWaitSlice = std::chrono::milliseconds(100);
constexpr auto kFirstRetry = std::chrono::milliseconds(250);
constexpr auto kLongestRetry = std::chrono::milliseconds(5000);

// Paho hands a token's user context back as a pointer; the sink's id travels in it.
void* id_as_context(std::uint64_t id) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(id));  // NOLINT(*-no-int-to-ptr)
}
std::uint64_t id_from_context(const mqtt::token& tok) {
  return reinterpret_cast<std::uintptr_t>(tok.get_user_context());
}

}  // namespace

struct MqttPublisher::Impl {
  // One Paho client and what completes its deliveries. A broken connection is replaced by
  // a new one; callbacks of the old one that arrive late carry its generation and are
  // ignored, except acknowledgements, which are true whoever brings them.
  struct Connection;

  Impl(const MqttPublisherConfig& c, const std::atomic<bool>& stop_flag);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::shared_ptr<Connection> open_connection(int gen);
  bool try_connect(Connection& conn, std::string& error) const;
  bool send(Connection& conn, std::uint64_t id, const mqtt::const_message_ptr& msg);
  void acknowledged(std::uint64_t id);
  void broke(int gen, const std::string& why);
  void reconnect_loop();
  std::shared_ptr<Connection> reconnect_with_backoff();
  void resend_unacknowledged(std::unique_lock<std::mutex>& lock, std::uint64_t handed_before);
  bool make_room(std::unique_lock<std::mutex>& lock);

  MqttPublisherConfig config;
  const std::atomic<bool>& stop;
  mqtt::connect_options options;

  mutable std::mutex mu;
  std::condition_variable cv;
  std::map<std::uint64_t, mqtt::const_message_ptr> unacked;  // in the order accepted
  std::uint64_t next_id = 0;
  std::uint64_t next_to_send = 0;  // ids below it were handed to the current connection
  bool connected = false;          // new messages may go straight to the connection
  bool broken = false;             // the connection must be replaced
  bool closing = false;
  int generation = 0;
  std::shared_ptr<Connection> connection;
  MqttPublisherStats stats;
  std::thread reconnector;
};

struct MqttPublisher::Impl::Connection final : public mqtt::iaction_listener {
  Connection(Impl& sink, int gen)
      : im(sink),
        generation(gen),
        client(server_uri(sink.config.broker), sink.config.client_id,
               // Paho counts queued publish commands against this even while connected;
               // the sink's own bounds come first.
               mqtt::create_options_builder()
                   .max_buffered_messages(
                       static_cast<int>(sink.config.max_pending + sink.config.max_buffered))
                   .finalize(),
               nullptr) {
    client.set_connection_lost_handler([this](const std::string& cause) {
      im.broke(generation, "connection lost: '" + cause + "'");
    });
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override = default;

  void on_success(const mqtt::token& tok) override { im.acknowledged(id_from_context(tok)); }
  void on_failure(const mqtt::token& tok) override {
    im.broke(generation, "delivery failed, rc=" + std::to_string(tok.get_return_code()));
  }

  Impl& im;
  const int generation;
  PahoProcessSettings paho_settings;  // before the client, see there
  mqtt::async_client client;          // last member: destroyed first, so no callback outlives `im`
};

MqttPublisher::Impl::Impl(const MqttPublisherConfig& c, const std::atomic<bool>& stop_flag)
    : config(c), stop(stop_flag) {
  auto builder = mqtt::connect_options_builder()
                     .mqtt_version(MQTTVERSION_3_1_1)  // no silent fallback to 3.1
                     .clean_session(true)  // the sink re-sends what was not acknowledged
                     .connect_timeout(std::chrono::seconds(5))
                     .keep_alive_interval(std::chrono::seconds(20))
                     .max_inflight(config.max_inflight);
  if (!config.username.empty()) {
    builder.user_name(config.username).password(config.password);
  }
  if (config.tls.enabled) {
    builder.ssl(make_ssl_options(config.tls));
  }
  options = builder.finalize();

  if (!config.wait_for_connection) {
    broken = true;  // the reconnect thread makes the first connection, in the background
    reconnector = std::thread([this] { reconnect_loop(); });
    return;
  }
  connection = open_connection(generation);
  const auto deadline = std::chrono::steady_clock::now() + config.connect_timeout;
  std::string last_error;
  while (!try_connect(*connection, last_error)) {
    if (stop.load() || std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("cannot connect to the MQTT broker at " + config.broker +
                               " (tried for " + std::to_string(config.connect_timeout.count()) +
                               " s): " + last_error +
                               ". Is the broker running and listening there?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  connected = true;
  reconnector = std::thread([this] { reconnect_loop(); });
}

MqttPublisher::Impl::~Impl() {
  {
    const std::lock_guard lock(mu);
    closing = true;
  }
  cv.notify_all();
  reconnector.join();
  try {
    if (connection && connection->client.is_connected()) {
      connection->client.disconnect(std::chrono::milliseconds(2000))
          ->wait_for(std::chrono::seconds(5));
    }
  } catch (const std::exception& e) {
    spdlog::warn("Disconnect from the MQTT broker failed. error='{}'", e.what());
  }
}

std::shared_ptr<MqttPublisher::Impl::Connection> MqttPublisher::Impl::open_connection(int gen) {
  return std::make_shared<Connection>(*this, gen);
}

bool MqttPublisher::Impl::try_connect(Connection& conn, std::string& error) const {
  try {
    conn.client.connect(options)->wait();
    return true;
  } catch (const mqtt::exception& e) {
    error = describe_connect_failure(e);
    return false;
  }
}

bool MqttPublisher::Impl::send(Connection& conn, std::uint64_t id,
                               const mqtt::const_message_ptr& msg) {
  try {
    conn.client.publish(msg, id_as_context(id), conn);
    return true;
  } catch (const mqtt::exception& e) {
    broke(conn.generation, std::string("publish refused: ") + e.what());
    return false;
  }
}

void MqttPublisher::Impl::acknowledged(std::uint64_t id) {
  {
    const std::lock_guard lock(mu);
    if (unacked.erase(id) == 1) {
      ++stats.delivered;
    }
  }
  cv.notify_all();
}

void MqttPublisher::Impl::broke(int gen, const std::string& why) {
  {
    const std::lock_guard lock(mu);
    if (gen != generation || broken) {
      return;  // an old connection, or a break already being handled
    }
    broken = true;
    connected = false;
    ++stats.connection_losses;
    spdlog::warn(
        "Lost the MQTT broker ({}); reconnecting with a new client and buffering up to {} "
        "messages. broker={} unacknowledged={}",
        why, config.max_buffered, config.broker, unacked.size());
  }
  cv.notify_all();
}

void MqttPublisher::Impl::reconnect_loop() {
  std::unique_lock lock(mu);
  for (;;) {
    cv.wait(lock, [this] { return broken || closing; });
    if (closing) {
      return;
    }
    const std::uint64_t handed_before = next_to_send;
    std::shared_ptr<Connection> old = std::move(connection);
    lock.unlock();
    old.reset();  // destroys the broken client unless a publish() still holds it
    std::shared_ptr<Connection> fresh = reconnect_with_backoff();
    lock.lock();
    if (!fresh) {
      return;  // closing, or stopped by a signal: flush() reports what is left
    }
    connection = std::move(fresh);
    broken = false;
    spdlog::info(
        "Connected to the MQTT broker; sending {} unacknowledged messages. broker={} "
        "client_id={}",
        unacked.size(), config.broker, config.client_id);
    resend_unacknowledged(lock, handed_before);
  }
}

std::shared_ptr<MqttPublisher::Impl::Connection> MqttPublisher::Impl::reconnect_with_backoff() {
  auto delay = kFirstRetry;
  for (;;) {
    int gen = 0;
    {
      const std::lock_guard lock(mu);
      if (closing || stop.load()) {
        return nullptr;
      }
      gen = ++generation;
    }
    auto conn = open_connection(gen);
    std::string error;
    if (try_connect(*conn, error)) {
      return conn;
    }
    spdlog::debug("Reconnect failed; retrying in {} ms. error='{}'", delay.count(), error);
    std::unique_lock lock(mu);
    cv.wait_for(lock, delay, [this] { return closing; });
    delay = std::min(delay * 2, kLongestRetry);
  }
}

// Hands every unacknowledged message to the new connection, oldest first; new messages
// wait (connected == false) until the backlog is handed over, so order is kept.
void MqttPublisher::Impl::resend_unacknowledged(std::unique_lock<std::mutex>& lock,
                                                std::uint64_t handed_before) {
  next_to_send = unacked.empty() ? next_id : unacked.begin()->first;
  while (!broken && !closing) {
    const auto it = unacked.lower_bound(next_to_send);
    if (it == unacked.end()) {
      next_to_send = next_id;
      connected = true;
      cv.notify_all();
      return;
    }
    const std::uint64_t id = it->first;
    const mqtt::const_message_ptr msg = it->second;
    next_to_send = id + 1;
    if (id < handed_before) {
      ++stats.resent;
    }
    const std::shared_ptr<Connection> conn = connection;
    lock.unlock();
    send(*conn, id, msg);
    lock.lock();
  }
}

// Under `block` waits for room (false when stopped meanwhile); under `drop_oldest` drops
// the oldest unacknowledged messages. A dropped message that is already on the wire may
// still arrive; its acknowledgement then finds nothing to erase.
bool MqttPublisher::Impl::make_room(std::unique_lock<std::mutex>& lock) {
  const auto limit = [this] { return connected ? config.max_pending : config.max_buffered; };
  while (unacked.size() >= limit()) {
    if (config.when_full == WhenFull::drop_oldest) {
      unacked.erase(unacked.begin());
      ++stats.dropped;
      continue;
    }
    if (stop.load()) {
      return false;
    }
    cv.wait_for(lock, kWaitSlice);
  }
  return true;
}

MqttPublisher::MqttPublisher(const MqttPublisherConfig& config, const std::atomic<bool>& stop)
    : impl_(std::make_unique<Impl>(config, stop)) {
  if (config.wait_for_connection) {
    spdlog::info("Connected to the MQTT broker. broker={} client_id={}", config.broker,
                 config.client_id);
  }
}

MqttPublisher::~MqttPublisher() = default;

bool MqttPublisher::publish(std::string_view topic, std::string_view payload, int qos,
                            bool retain) {
  Impl& im = *impl_;
  std::unique_lock lock(im.mu);
  if (!im.make_room(lock)) {
    return false;
  }
  const std::uint64_t id = im.next_id++;
  auto msg = mqtt::make_message(std::string(topic), payload.data(), payload.size(), qos, retain);
  im.unacked.emplace(id, msg);
  ++im.stats.accepted;
  if (!im.connected || im.next_to_send != id) {
    return true;  // buffered: the reconnect thread hands it over in order
  }
  im.next_to_send = id + 1;
  const std::shared_ptr<Impl::Connection> conn = im.connection;
  lock.unlock();
  im.send(*conn, id, msg);
  return true;
}

std::uint64_t MqttPublisher::flush(std::chrono::milliseconds timeout) {
  Impl& im = *impl_;
  std::unique_lock lock(im.mu);
  im.cv.wait_for(lock, timeout, [&im] { return im.unacked.empty(); });
  return im.unacked.size();
}

MqttPublisherStats MqttPublisher::stats() const {
  const std::lock_guard lock(impl_->mu);
  MqttPublisherStats s = impl_->stats;
  s.connected = impl_->connected;
  return s;
}

}  // namespace edgegw::mqtt_publish
