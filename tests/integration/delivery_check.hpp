#pragma once
// The checker of the store-and-forward tests: reads the telemetry topic back and proves
// that every (device, seq) the devices published arrived, counts the duplicates by
// their cause, and checks per-device order.

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "gateway_stack.hpp"
#include "support/kafka_fixture.hpp"

namespace edgegw::test {

struct DeliveryCheck {
  std::size_t records = 0;   // read from Kafka, duplicates included
  std::size_t distinct = 0;  // distinct (device, seq)
  std::size_t missing = 0;   // published but never read
  // Same (device, seq) and same edgegw-offset header as an earlier copy: the forwarder
  // sent a log record again after a crash (acknowledged by Kafka, not yet checkpointed).
  std::size_t resent = 0;
  // Same (device, seq) under a new log offset: the broker delivered the MQTT message
  // again (the gateway died after storing it, before its acknowledgement went out).
  std::size_t redelivered = 0;
  // First copies of a device's records that arrived after a higher sequence number.
  std::size_t out_of_order = 0;

  [[nodiscard]] std::string summary() const {
    return fmt::format("records={} distinct={} missing={} resent={} redelivered={} out_of_order={}",
                       records, distinct, missing, resent, redelivered, out_of_order);
  }
};

// Folds records read from Kafka into a DeliveryCheck, incrementally (each record is
// parsed once, however often the test asks).
class DeliveryTracker {
 public:
  // `expected`: device name → the sequence numbers 1..n it published.
  explicit DeliveryTracker(std::map<std::string, int> expected) : expected_(std::move(expected)) {
    for (const auto& [device, last] : expected_) {
      check_.missing += static_cast<std::size_t>(last);
    }
  }

  void add(const std::vector<ConsumedRecord>& records) {
    for (; consumed_ < records.size(); ++consumed_) {
      add_one(records[consumed_]);
    }
  }
  [[nodiscard]] const DeliveryCheck& check() const { return check_; }

 private:
  void add_one(const ConsumedRecord& r) {
    ++check_.records;
    const nlohmann::json doc = nlohmann::json::parse(r.value);
    const std::string device = doc.at("device").get<std::string>();
    const int seq = doc.at("seq").get<int>();
    const auto header = r.headers.find("edgegw-offset");
    const std::string offset = header == r.headers.end() ? "" : header->second;
    auto& seen = offsets_[{device, seq}];
    if (seen.empty()) {
      if (seq < highest_[device]) {
        ++check_.out_of_order;
      }
      highest_[device] = std::max(highest_[device], seq);
      const auto it = expected_.find(device);
      if (it != expected_.end() && seq >= 1 && seq <= it->second) {
        ++check_.distinct;
        --check_.missing;
      }
    } else if (seen.count(offset) > 0) {
      ++check_.resent;
    } else {
      ++check_.redelivered;
    }
    seen.insert(offset);
  }

  std::map<std::string, int> expected_;
  std::size_t consumed_ = 0;
  DeliveryCheck check_;
  std::map<std::pair<std::string, int>, std::set<std::string>> offsets_;  // → offset headers
  std::map<std::string, int> highest_;
};

// What read_and_check expects when devices 0..devices-1 (device_name) each published
// seq 1..per_device.
inline std::map<std::string, int> expected_per_device(int devices, int per_device) {
  std::map<std::string, int> expected;
  for (int d = 0; d < devices; ++d) {
    expected[device_name(d)] = per_device;
  }
  return expected;
}

// The loss reports on the dead-letter topic: how many records their `lost_offsets`
// ranges name, and how many reports gave another reason than the one expected.
struct LossReports {
  std::uint64_t lost_records = 0;
  std::size_t other_reasons = 0;
};

inline LossReports loss_reports(const KafkaReader& dead_letters, std::string_view reason) {
  LossReports reports;
  for (const ConsumedRecord& r : dead_letters.records()) {
    const nlohmann::json doc = nlohmann::json::parse(r.value);
    if (doc.at("reason") != reason) {
      ++reports.other_reasons;
      continue;
    }
    const nlohmann::json& range = doc.at("lost_offsets");
    reports.lost_records +=
        range.at("last").get<std::uint64_t>() - range.at("first").get<std::uint64_t>() + 1;
  }
  return reports;
}

// Reads until every expected (device, seq) arrived or `timeout` passes, then until the
// topic is quiet for `quiet` (late duplicates).
inline DeliveryCheck read_and_check(KafkaReader& reader, const std::map<std::string, int>& expected,
                                    std::chrono::milliseconds timeout,
                                    std::chrono::milliseconds quiet = std::chrono::seconds(3)) {
  DeliveryTracker tracker(expected);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    reader.read_until(reader.records().size() + tracker.check().missing, std::chrono::seconds(1));
    tracker.add(reader.records());
    if (tracker.check().missing == 0) {
      break;
    }
  }
  reader.drain(quiet);
  tracker.add(reader.records());
  return tracker.check();
}

}  // namespace edgegw::test
