#include "device_load.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>

#include "integration/gateway_stack.hpp"
#include "support/mqtt_publisher.hpp"

namespace edgegw::bench {

std::string padded_payload(int device, int seq, int payload_bytes) {
  std::string payload = test::device_payload(device, seq);
  const std::string open = R"(,"pad":")";
  const std::size_t overhead = open.size() + 1;  // the field and its closing quote
  const auto wanted = static_cast<std::size_t>(std::max(payload_bytes, 0));
  if (wanted > payload.size() + overhead) {
    const std::size_t fill = wanted - payload.size() - overhead;
    payload.insert(payload.size() - 1, open + std::string(fill, 'x') + '"');
  }
  return payload;
}

struct DeviceLoad::Lane {
  std::unique_ptr<test::MqttPublisher> publisher;
  std::vector<std::pair<std::string, std::string>> messages;  // topic, payload
  std::thread thread;
  std::exception_ptr error;
  Clock::time_point done;
};

DeviceLoad::DeviceLoad(const LoadSpec& spec, const std::string& broker_uri,
                       const std::string& client_prefix) {
  if (spec.messages < 1 || spec.devices < 1 || spec.publishers < 1) {
    throw std::invalid_argument("messages, devices and publishers must be at least 1");
  }
  const int lanes = std::min(spec.publishers, spec.devices);
  for (int p = 0; p < lanes; ++p) {
    lanes_.push_back(std::make_unique<Lane>());
  }
  // Device d belongs to lane d % lanes (a device's messages keep their order through one
  // client) and sends messages/devices messages, the first messages%devices one more.
  // Round-robin over devices, sequence by sequence, as a fleet reporting together would.
  const int per_device = spec.messages / spec.devices;
  const int extra = spec.messages % spec.devices;
  for (int seq = 1; seq <= per_device + (extra > 0 ? 1 : 0); ++seq) {
    for (int d = 0; d < spec.devices; ++d) {
      if (seq <= per_device || d < extra) {
        lanes_[static_cast<std::size_t>(d % lanes)]->messages.emplace_back(
            test::device_topic(d), padded_payload(d, seq, spec.payload_bytes));
      }
    }
  }
  for (int p = 0; p < lanes; ++p) {
    lanes_[static_cast<std::size_t>(p)]->publisher =
        std::make_unique<test::MqttPublisher>(broker_uri, client_prefix + "-" + std::to_string(p));
  }
}

DeviceLoad::~DeviceLoad() {
  for (auto& lane : lanes_) {
    if (lane->thread.joinable()) {
      lane->thread.join();
    }
  }
}

DeviceLoad::Clock::time_point DeviceLoad::start() {
  // The lanes wait on one flag so that they begin together, after the clock starts.
  auto go = std::make_shared<std::atomic<bool>>(false);
  for (auto& lane_ptr : lanes_) {
    Lane* lane = lane_ptr.get();
    lane->thread = std::thread([lane, go] {
      while (!go->load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
      try {
        for (const auto& [topic, payload] : lane->messages) {
          lane->publisher->publish(topic, payload, 1);
        }
        lane->publisher->wait_all(std::chrono::minutes(10));
      } catch (...) {
        lane->error = std::current_exception();
      }
      lane->done = Clock::now();
    });
  }
  const Clock::time_point t0 = Clock::now();
  go->store(true, std::memory_order_release);
  return t0;
}

DeviceLoad::Clock::time_point DeviceLoad::join() {
  Clock::time_point last{};
  for (auto& lane : lanes_) {
    if (lane->thread.joinable()) {
      lane->thread.join();
    }
    last = std::max(last, lane->done);
  }
  for (auto& lane : lanes_) {
    if (lane->error) {
      std::rethrow_exception(lane->error);
    }
  }
  return last;
}

double DeviceLoad::mean_payload_bytes() const {
  double bytes = 0;
  double count = 0;
  for (const auto& lane : lanes_) {
    for (const auto& message : lane->messages) {
      bytes += static_cast<double>(message.second.size());
      count += 1;
    }
  }
  return count > 0 ? bytes / count : 0;
}

}  // namespace edgegw::bench
