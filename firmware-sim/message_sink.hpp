#pragma once
// Where generated messages go: an MQTT broker, a dry-run file, or nowhere (to measure
// generation alone). The runner calls publish() from its one thread.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "message.hpp"

namespace edgegw::sim {

class MessageSink {
 public:
  MessageSink() = default;
  MessageSink(const MessageSink&) = delete;
  MessageSink& operator=(const MessageSink&) = delete;
  virtual ~MessageSink() = default;

  // May block while the sink is full (backpressure). Returns false when the message was
  // not accepted because the run is stopping or the sink failed for good.
  virtual bool publish(const Message& m) = 0;
  // Waits until everything accepted is delivered, at most `timeout`. Returns how many
  // messages are still undelivered.
  virtual std::uint64_t flush(std::chrono::milliseconds timeout) = 0;
  // Messages sent again after a reconnect, which may arrive twice (MQTT sinks only).
  [[nodiscard]] virtual std::uint64_t resent() const { return 0; }
};

// Discards everything: the cost of generation alone.
class NullSink final : public MessageSink {
 public:
  bool publish(const Message& m) override {
    bytes_ += m.payload.size();
    return true;
  }
  std::uint64_t flush(std::chrono::milliseconds /*timeout*/) override { return 0; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

 private:
  std::uint64_t bytes_ = 0;
};

// Writes "topic<TAB>payload" lines, or with `with_time` "time<TAB>topic<TAB>payload"
// (the simulated publish time in epoch ms: when a gateway would have received it, which
// a payload without a timestamp does not tell). Text payloads never contain tabs or
// newlines; binary ones (Sparkplug B) are written as base64.
class DryRunSink final : public MessageSink {
 public:
  // Throws std::runtime_error naming the file when it cannot be created.
  DryRunSink(const std::filesystem::path& path, bool with_time);
  ~DryRunSink() override;
  bool publish(const Message& m) override;
  std::uint64_t flush(std::chrono::milliseconds timeout) override;

 private:
  std::FILE* file_ = nullptr;
  std::filesystem::path path_;
  bool with_time_ = false;
};

}  // namespace edgegw::sim
