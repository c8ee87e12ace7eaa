#pragma once
// The fleet's load for the end-to-end benchmark: N QoS 1 messages from D devices, spread
// over P publisher clients, each on its own thread, because one Paho QoS 1 publisher
// alone tops out below what mosquitto can drain and would hide the system under test.

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace edgegw::test {
class MqttPublisher;
}

namespace edgegw::bench {

struct LoadSpec {
  int messages = 100000;
  int devices = 100;
  int publishers = 4;
  int payload_bytes = 0;  // pad payloads to this size; 0 = the mapping's natural size
};

class DeviceLoad {
 public:
  using Clock = std::chrono::steady_clock;

  // Formats every message and connects the publishers, so that neither is timed.
  DeviceLoad(const LoadSpec& spec, const std::string& broker_uri, const std::string& client_prefix);
  ~DeviceLoad();
  DeviceLoad(const DeviceLoad&) = delete;
  DeviceLoad& operator=(const DeviceLoad&) = delete;

  // Starts publishing on every publisher's thread; returns the time of the first publish.
  Clock::time_point start();
  // Waits until the broker has acknowledged every message; returns when that was.
  // Rethrows the first publisher's error.
  Clock::time_point join();

  // The mean payload size, for the report.
  [[nodiscard]] double mean_payload_bytes() const;

 private:
  struct Lane;  // one publisher client, its messages and its thread
  std::vector<std::unique_ptr<Lane>> lanes_;
};

// The test mapping's payload, padded with a JSON field the mapping ignores when
// `payload_bytes` asks for more than its natural size.
std::string padded_payload(int device, int seq, int payload_bytes);

}  // namespace edgegw::bench
