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
#include <utility>

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

// `expected`: device name → the sequence numbers 1..n it published.
inline DeliveryCheck check_delivery(const std::vector<ConsumedRecord>& records,
                                    const std::map<std::string, int>& expected) {
  DeliveryCheck check;
  check.records = records.size();
  std::map<std::pair<std::string, int>, std::set<std::string>> offsets;  // → offset headers
  std::map<std::string, int> highest;
  for (const ConsumedRecord& r : records) {
    const nlohmann::json doc = nlohmann::json::parse(r.value);
    const std::string device = doc.at("device").get<std::string>();
    const int seq = doc.at("seq").get<int>();
    const auto header = r.headers.find("edgegw-offset");
    const std::string offset = header == r.headers.end() ? "" : header->second;
    auto& seen = offsets[{device, seq}];
    if (seen.empty()) {
      if (seq < highest[device]) {
        ++check.out_of_order;
      }
      highest[device] = std::max(highest[device], seq);
    } else if (seen.count(offset) > 0) {
      ++check.resent;
    } else {
      ++check.redelivered;
    }
    seen.insert(offset);
  }
  for (const auto& [device, last] : expected) {
    for (int seq = 1; seq <= last; ++seq) {
      if (offsets.count({device, seq}) > 0) {
        ++check.distinct;
      } else {
        ++check.missing;
      }
    }
  }
  return check;
}

// Reads until every expected (device, seq) arrived or `timeout` passes, then until the
// topic is quiet for `quiet` (late duplicates).
inline DeliveryCheck read_and_check(KafkaReader& reader, const std::map<std::string, int>& expected,
                                    std::chrono::milliseconds timeout,
                                    std::chrono::milliseconds quiet = std::chrono::seconds(3)) {
  std::size_t total = 0;
  for (const auto& [device, last] : expected) {
    total += static_cast<std::size_t>(last);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  reader.read_until(total, timeout);
  while (check_delivery(reader.records(), expected).missing > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    reader.read_until(reader.records().size() + 1, std::chrono::seconds(1));
  }
  reader.drain(quiet);
  return check_delivery(reader.records(), expected);
}

}  // namespace edgegw::test
