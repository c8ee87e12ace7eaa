#pragma once
// A durable log that keeps what is appended in memory, for tests of the pipeline (which
// only appends): each record's stream, key and payload, in order.

#include <string>
#include <vector>

#include "edgegw/log.hpp"

namespace edgegw::pipeline::testing {

class MemoryLog final : public store::DurableLog {
 public:
  struct Appended {
    Stream stream;
    std::string key;
    std::string payload;
  };

  Result<std::uint64_t> append(Stream stream, std::string_view key,
                               std::string_view payload) override {
    records.push_back({stream, std::string(key), std::string(payload)});
    return records.size() - 1;
  }
  bool wait_for_space(std::chrono::milliseconds) override { return true; }
  Status sync() override { return Ok{}; }
  Status read_into(std::uint64_t, std::size_t, std::size_t, store::ReadBatch& batch) override {
    batch = store::ReadBatch{};
    return Ok{};
  }
  bool wait_for_records(std::uint64_t, std::chrono::milliseconds) override { return false; }
  Status commit(std::uint64_t) override { return Ok{}; }
  [[nodiscard]] std::uint64_t cursor() const override { return 0; }
  [[nodiscard]] std::uint64_t end_offset() const override { return records.size(); }
  [[nodiscard]] store::LogStats stats() const override { return {}; }

  std::vector<Appended> records;
};

}  // namespace edgegw::pipeline::testing
