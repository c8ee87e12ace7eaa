#pragma once
// Counts gaps and repeats in the per-device sequence numbers that devices send, so that
// loss upstream of the gateway (a broker dropping messages for a slow subscriber, a
// device buffer overflowing) becomes visible. Ingest thread only; memory is bounded by
// a device cap.

#include <cstdint>
#include <string>
#include <unordered_map>

namespace edgegw::pipeline {

class SequenceTracker {
 public:
  explicit SequenceTracker(std::size_t max_devices = 100000) : max_devices_(max_devices) {}

  struct Change {
    std::uint64_t missing = 0;  // numbers skipped since the previous message
    bool repeated = false;      // a number at or below the previous one
  };
  Change observe(const std::string& device, std::int64_t sequence);

 private:
  std::size_t max_devices_;
  std::unordered_map<std::string, std::int64_t> last_;
};

}  // namespace edgegw::pipeline
