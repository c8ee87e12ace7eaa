#pragma once
// Helpers for the durable log's tests: a fault-injecting file system, and small
// functions to fill and drain a log.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "edgegw/log.hpp"
#include "store/file_system.hpp"
#include "support/temp_dir.hpp"

namespace edgegw::store::testing {

// What the next file operations should do wrong. Shared by the test and the file system.
struct FaultPlan {
  std::atomic<std::int64_t> space_left{-1};  // bytes writable before ENOSPC; -1: unlimited
  std::atomic<int> short_writes{0};          // next N writes write half (and succeed)
  std::atomic<int> failing_syncs{0};         // next N fsyncs (files or directories) fail
  std::atomic<int> failing_renames{0};
  std::atomic<int> failing_truncates{0};
  std::atomic<std::uint64_t> file_syncs{0};  // successful fsyncs seen
  std::atomic<std::uint64_t> writes{0};
};

// The POSIX file system with the faults of a FaultPlan injected.
std::shared_ptr<FileSystem> faulty_file_system(std::shared_ptr<FaultPlan> plan);

LogConfig small_config(const std::filesystem::path& directory);

// The payload append_numbered() writes for `index`, of `size` bytes.
std::string numbered_payload(std::uint64_t index, std::size_t size);
// Appends `count` records; REQUIREs that each succeeds. Returns their offsets.
std::vector<std::uint64_t> append_numbered(DurableLog& log, std::uint64_t first_index,
                                           std::size_t count, std::size_t payload_size);

struct Drained {
  std::vector<LogRecord> records;
  std::vector<DamageReport> damage;
  std::uint64_t next_offset = 0;
};
// Reads from `from` until nothing more comes (at most `max_calls` read() calls).
Drained drain(DurableLog& log, std::uint64_t from, std::size_t batch = 64,
              std::size_t max_calls = 100000);

std::vector<std::string> segment_files(const std::filesystem::path& directory);

// Appends raw bytes to a file: damage, torn frames or crafted data after good records.
void append_bytes(const std::filesystem::path& file, const std::string& bytes);

}  // namespace edgegw::store::testing
