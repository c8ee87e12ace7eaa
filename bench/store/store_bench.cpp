// Durable log benchmarks: append throughput per fsync policy and payload size, read
// throughput, append with a live reader tailing the log, the time to open (recover)
// a large log, and to open one whose last segment ends in crafted frames. Each reports
// min/median/max over its repetitions.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "edgegw/log.hpp"
#include "store/record_frame.hpp"

namespace {

using edgegw::Stream;
using edgegw::store::DurableLog;
using edgegw::store::FsyncPolicy;
using edgegw::store::LogConfig;

constexpr int kRepetitions = 5;

std::filesystem::path bench_root() {
  const char* dir = std::getenv("EDGEGW_BENCH_DIR");
  return dir != nullptr ? std::filesystem::path(dir) : std::filesystem::temp_directory_path();
}

// A log directory that is removed when the benchmark is done with it.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(bench_root() /
              ("edgegw-store-bench-" + name + "-" + std::to_string(std::random_device{}()))) {
    std::filesystem::remove_all(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

LogConfig bench_config(const std::filesystem::path& dir, FsyncPolicy policy) {
  LogConfig config;
  config.directory = dir;
  config.fsync = policy;
  config.fsync_interval = std::chrono::milliseconds(200);
  config.max_bytes = 8ULL << 30;  // never the limit here; commits keep the log small
  return config;
}

// Rates are per wall-clock second (UseRealTime): what the gateway gets, including the
// time spent waiting for the disk, not only the CPU time of the benchmark thread.
void add_stats(benchmark::internal::Benchmark* b) {
  b->UseRealTime()
      ->Repetitions(kRepetitions)
      ->ReportAggregatesOnly(true)
      ->ComputeStatistics(
          "min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); })
      ->ComputeStatistics("max", [](const std::vector<double>& v) {
        return *std::max_element(v.begin(), v.end());
      });
}

// Args: fsync policy (0 never, 1 interval, 2 always), payload bytes.
void BM_Append(benchmark::State& state) {
  const auto policy = static_cast<FsyncPolicy>(2 - state.range(0));  // enum order differs
  const std::string payload(static_cast<std::size_t>(state.range(1)), 'p');
  ScratchDir dir("append");
  auto log = DurableLog::open(bench_config(dir.path(), policy));
  std::uint64_t appended = 0;
  for (auto _ : state) {
    auto offset = log->append(Stream::telemetry, "device-0042", payload);
    if (!offset.ok()) {
      state.SkipWithError(offset.error().message.c_str());
      break;
    }
    if (++appended % (1U << 17) == 0) {
      state.PauseTiming();  // keep the disk footprint bounded, as the forwarder would
      (void)log->commit(log->end_offset());
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(appended));
  state.SetBytesProcessed(static_cast<std::int64_t>(appended * payload.size()));
}
BENCHMARK(BM_Append)
    ->ArgNames({"fsync", "payload"})
    ->ArgsProduct({{0, 1}, {100, 1024}})
    ->Apply(add_stats);
BENCHMARK(BM_Append)
    ->ArgNames({"fsync", "payload"})
    ->ArgsProduct({{2}, {100, 1024}})
    ->Iterations(500)
    ->Apply(add_stats);

// Arg: payload bytes. Reads a pre-filled log of 64 MiB in batches of 500 records.
void BM_Read(benchmark::State& state) {
  const std::string payload(static_cast<std::size_t>(state.range(0)), 'p');
  ScratchDir dir("read");
  auto log = DurableLog::open(bench_config(dir.path(), FsyncPolicy::never));
  const std::uint64_t records = (64ULL << 20) / (payload.size() + 40);
  for (std::uint64_t i = 0; i < records; ++i) {
    (void)log->append(Stream::telemetry, "device-0042", payload);
  }
  std::uint64_t next = 0;
  std::uint64_t read = 0;
  for (auto _ : state) {
    auto batch = log->read(next, 500, 1U << 20);
    if (!batch.ok()) {
      state.SkipWithError(batch.error().message.c_str());
      break;
    }
    read += batch.value().records.size();
    next = batch.value().next_offset >= records ? 0 : batch.value().next_offset;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(read));
  state.SetBytesProcessed(static_cast<std::int64_t>(read * payload.size()));
}
BENCHMARK(BM_Read)->ArgName("payload")->Arg(100)->Arg(1024)->Apply(add_stats);

// Arg: payload bytes. The writer appends (timed) while a reader thread tails the log
// live and commits, as the forwarder does: shows what the reader costs the writer.
void BM_AppendWithLiveReader(benchmark::State& state) {
  const std::string payload(static_cast<std::size_t>(state.range(0)), 'p');
  ScratchDir dir("live");
  auto log = DurableLog::open(bench_config(dir.path(), FsyncPolicy::interval));
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> read{0};
  std::thread reader([&] {
    std::uint64_t next = 0;
    while (!stop.load()) {
      if (!log->wait_for_records(next, std::chrono::milliseconds(50))) {
        continue;
      }
      auto batch = log->read(next, 500, 1U << 20);
      if (!batch.ok()) {
        return;
      }
      read += batch.value().records.size();
      next = batch.value().next_offset;
      (void)log->commit(next);
    }
  });
  std::uint64_t appended = 0;
  for (auto _ : state) {
    if (!log->append(Stream::telemetry, "device-0042", payload).ok()) {
      state.SkipWithError("append failed");
      break;
    }
    ++appended;
  }
  stop = true;
  reader.join();
  state.SetItemsProcessed(static_cast<std::int64_t>(appended));
  state.counters["read_share"] =
      static_cast<double>(read.load()) / static_cast<double>(std::max<std::uint64_t>(1, appended));
}
BENCHMARK(BM_AppendWithLiveReader)->ArgName("payload")->Arg(100)->Apply(add_stats);

// Fills a log of `mib` MiB with 1 KiB records (16 MiB segments) so that its last
// segment holds 15 MiB: close to the worst case for the scan at open. Commits offset 1 so
// that a cursor file exists, as in a running gateway.
std::uint64_t fill_for_recovery(const std::filesystem::path& dir, std::uint64_t mib) {
  const std::string payload(1024, 'p');
  auto log = DurableLog::open(bench_config(dir, FsyncPolicy::never));
  auto last_segment_bytes = [&] {
    std::uintmax_t size = 0;
    std::string last;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const auto name = entry.path().filename().string();
      if (name.ends_with(".seg") && name > last) {
        last = name;
        size = entry.file_size();
      }
    }
    return size;
  };
  while (log->stats().bytes < ((mib - 16) << 20) || last_segment_bytes() < (15ULL << 20)) {
    for (int i = 0; i < 1000; ++i) {
      (void)log->append(Stream::telemetry, "device-0042", payload);
    }
  }
  (void)log->commit(1);
  (void)log->sync();
  return log->end_offset();
}

// Drops the log's pages from the page cache (they are clean after the fsync), so that
// the next open reads from the disk as after a reboot. Needs no privileges.
void evict_from_page_cache(const std::filesystem::path& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      ::close(fd);
    }
  }
}

// Args: log size in MiB, cold (1: page cache evicted before each open). Timed: open(),
// i.e. recovery, which reads only the last segment in full.
void BM_Recovery(benchmark::State& state) {
  const auto mib = static_cast<std::uint64_t>(state.range(0));
  const bool cold = state.range(1) != 0;
  ScratchDir dir("recovery");
  fill_for_recovery(dir.path(), mib);
  for (auto _ : state) {
    if (cold) {
      state.PauseTiming();
      evict_from_page_cache(dir.path());
      state.ResumeTiming();
    }
    auto log = DurableLog::open(bench_config(dir.path(), FsyncPolicy::never));
    benchmark::DoNotOptimize(log->end_offset());
  }
}
BENCHMARK(BM_Recovery)
    ->ArgNames({"mib", "cold"})
    ->ArgsProduct({{256, 1024}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Apply(add_stats);

// A segment of 1,000 intact 100-byte records followed by `bytes` of near-valid frames:
// every 28 bytes a plausible header claiming a frame that runs to the end, with a wrong
// CRC, the worst case for resynchronising (each header costs a read and a CRC of the
// rest: quadratic without the scan budget).
std::string crafted_segment(std::size_t bytes) {
  namespace store = edgegw::store;
  std::string out;
  for (std::uint64_t offset = 0; offset < 1000; ++offset) {
    store::encode_frame(out, offset, 1, Stream::telemetry, "device-0042", std::string(100, 'p'));
  }
  std::string header;
  for (std::size_t pos = 0; pos + store::kFrameHeaderBytes <= bytes;
       pos += store::kFrameHeaderBytes) {
    header.clear();
    store::encode_frame(header, 1000, 1, Stream::telemetry, "", "");
    const auto claimed = static_cast<std::uint32_t>(
        std::min<std::size_t>(bytes - pos, store::kMaxFrameBytes) - store::kFramePrefixBytes);
    std::memcpy(header.data() + 4, &claimed, sizeof(claimed));  // body_len
    header[0] = static_cast<char>(header[0] ^ 0x5a);            // a CRC that cannot match
    out += header;
  }
  out.resize(1000 * store::frame_size("device-0042", std::string(100, 'p')) + bytes, '\x33');
  return out;
}

// Args: MiB of crafted frames after the intact records, budget (0: unbounded resync, as
// before the scan budget; 1: the default allowance). Timed: open(), which scans the
// segment and cuts the damage; the segment is written afresh before each open.
void BM_RecoveryCrafted(benchmark::State& state) {
  const std::string segment = crafted_segment(static_cast<std::size_t>(state.range(0)) << 20);
  LogConfig config = bench_config({}, FsyncPolicy::never);
  if (state.range(1) == 0) {
    config.recovery_resync_allowance = UINT64_MAX;
  }
  ScratchDir dir("crafted");
  config.directory = dir.path();
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir.path());
    ::mkdir(dir.path().c_str(), 0700);  // as the gateway creates it
    {
      std::ofstream out(dir.path() / "00000000000000000000.seg", std::ios::binary);
      out.write(segment.data(), static_cast<std::streamsize>(segment.size()));
    }
    state.ResumeTiming();
    auto log = DurableLog::open(config);
    if (log->stats().scan_budget_cutoffs != static_cast<std::uint64_t>(state.range(1))) {
      state.SkipWithError("the scan budget did not cut off as expected");
      return;
    }
  }
}
BENCHMARK(BM_RecoveryCrafted)
    ->ArgNames({"mib", "budget"})
    ->ArgsProduct({{1, 2, 16}, {0, 1}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->Apply(add_stats);

// Arg: log size in MiB. Timed: open() plus reading every record once, what a replay of
// the whole backlog after an outage costs before anything reaches the network.
void BM_RecoverAndReplay(benchmark::State& state) {
  const auto mib = static_cast<std::uint64_t>(state.range(0));
  ScratchDir dir("replay");
  const std::uint64_t records = fill_for_recovery(dir.path(), mib);
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    auto log = DurableLog::open(bench_config(dir.path(), FsyncPolicy::never));
    for (std::uint64_t next = 0; next < records;) {
      auto batch = log->read(next, 1000, 4U << 20);
      if (!batch.ok()) {
        state.SkipWithError(batch.error().message.c_str());
        return;
      }
      for (const auto& record : batch.value().records) {
        bytes += record.payload.size();
      }
      next = batch.value().next_offset;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_RecoverAndReplay)
    ->ArgName("mib")
    ->Arg(256)
    ->Unit(benchmark::kMillisecond)
    ->Apply(add_stats);

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);  // the log's info lines at every open are noise here
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
