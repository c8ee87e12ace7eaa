#pragma once
// MQTT ingest: connects its session in the background, retrying with backoff until the
// broker answers (it may come up after the gateway), subscribes on every (re)connect,
// hands each message to the handler and counts what happens. QoS 1 by default.
//
// Acknowledgement: the session acknowledges a QoS 1 message after the handler returns,
// and the handler appends to the durable log before returning: a message is
// acknowledged only once it is stored, no queue of acknowledged-but-unlogged messages
// builds up, and a handler that waits (log full, policy `block`) stops the client from
// reading further messages, so the broker keeps the backlog.
// docs/delivery-guarantees.md states the exact guarantee per QoS.
//
// Threads: the session's callback thread calls the handler; start()/stop() from the
// owner; the first connect runs on a thread of the ingest's own.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "edgegw/config.hpp"
#include "edgegw/log_throttle.hpp"
#include "edgegw/mqtt_session.hpp"
#include "ingest/ingest_probe.hpp"

namespace edgegw::ingest {

using MessageHandler = std::function<void(std::string_view topic, std::string_view payload,
                                          const MessageProperties& properties)>;

// The waits between failed first connects: from reconnect_min (at least kFloor, so a
// zero in the config cannot spin) doubling up to reconnect_max.
class ConnectBackoff {
 public:
  static constexpr std::chrono::milliseconds kFloor{100};

  ConnectBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max);
  // The wait before the next attempt; each call doubles the one after.
  std::chrono::milliseconds next();

 private:
  std::chrono::milliseconds current_;
  std::chrono::milliseconds max_;
};

class MqttIngest final : private MqttSessionEvents {
 public:
  // The ingest owns its session, so that no event can reach an ingest that is gone.
  MqttIngest(const MqttConfig& config, std::vector<std::string> filters,
             std::unique_ptr<MqttSession> session, MessageHandler handler);
  ~MqttIngest() override;
  MqttIngest(const MqttIngest&) = delete;
  MqttIngest& operator=(const MqttIngest&) = delete;

  // Connects in the background until connected or stopped. Returns at once.
  void start();
  // Disconnects cleanly; messages not yet handed to the handler stay with the broker
  // (persistent session). Idempotent.
  void stop();

  [[nodiscard]] const IngestProbe& probe() const { return probe_; }
  [[nodiscard]] const std::vector<std::string>& filters() const { return filters_; }

 private:
  void connect_loop();
  [[nodiscard]] bool connect_with_backoff();
  void resubscribe_loop();
  void subscribe();
  void subscribe_again();
  void on_connected() override;
  void on_subscription_refused(std::string_view detail) override;
  void on_reason_code(BrokerPacket packet, int code, std::string_view meaning) override;
  void on_connection_lost(std::string_view cause) override;
  void on_message(std::string_view topic, std::string_view payload,
                  const MessageProperties& properties) override;

  MqttConfig config_;
  std::vector<std::string> filters_;
  MessageHandler handler_;
  IngestProbe probe_;
  LogThrottle handler_error_log_;  // one line per storm of failing messages
  std::thread connector_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool resubscribe_wanted_ = false;  // a refusal asks the connector thread to try again
  // Last, so it is destroyed first: no event arrives while the members above go.
  std::unique_ptr<MqttSession> session_;
};

}  // namespace edgegw::ingest
