// Replay after an outage: how fast a backlog in the durable log drains into Kafka once
// Kafka is back, against `kcat -P` producing the same records from a file to the same
// cluster in the same run (the baseline: librdkafka with nothing in front of it).
//
//   replay_bench [--records N] [--repeats R]
//
// Both sides use librdkafka's mock cluster (3 brokers, 6 partitions, loopback TCP), the
// same producer settings (idempotent, lz4, murmur2_random, linger 5 ms) and the same two
// headers per record. The forwarder's time runs from start() until the log's cursor
// reaches the end (so it includes its last cursor commit); kcat's from
// exec until it exits after flushing. Reports min/median/max records/s of each side and
// of their ratio over R runs.
//
// Also the cost of kafka.delivery: exactly_once: the transactional forwarder drains the
// same backlog to a fresh cluster in the same run (ranges of the default 5,000 records,
// each in a transaction with its cursor record), reported beside the at-least-once
// forwarder with the ratio of the two.

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "edgegw/config.hpp"
#include "edgegw/log.hpp"
#include "forward/forwarder.hpp"
#include "forward/transactional_forwarder.hpp"
#include "kafka/mock_cluster.hpp"
#include "kafka/rdkafka_producer.hpp"
#include "kafka/rdkafka_record_reader.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kTopic = "edgegw.telemetry";
constexpr const char* kOffsetsTopic = "edgegw.offsets";
constexpr int kDevices = 100;

struct Options {
  std::size_t records = 1000000;
  int repeats = 3;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--records") {
      o.records = std::stoull(argv[i + 1]);
    } else if (flag == "--repeats") {
      o.repeats = std::stoi(argv[i + 1]);
    } else {
      throw std::invalid_argument("usage: replay_bench [--records N] [--repeats R]");
    }
  }
  return o;
}

// A telemetry record like the gateway writes (about 230 bytes), for device i % kDevices.
std::string record_value(std::size_t i) {
  return fmt::format(
      R"({{"schema":"edgegw.telemetry/v1","gateway":"gw-bench","device":"dev-{:03}","ts":{},)"
      R"("time":"2024-01-01T00:00:00.000Z","received":{},"mapping":"plant","tags":{{}},)"
      R"("seq":{},"readings":{{"temperature":{{"value":{:.2f},"unit":"degC"}}}}}})",
      i % kDevices, 1704067200000 + i, 1704067200000 + i, i / kDevices, 20.0 + (i % 700) * 0.1);
}
std::string record_key(std::size_t i) {
  return fmt::format("dev-{:03}", i % kDevices);
}

std::filesystem::path scratch_dir() {
  const char* dir = std::getenv("EDGEGW_BENCH_DIR");
  auto base = dir != nullptr ? std::filesystem::path(dir) : std::filesystem::temp_directory_path();
  auto path = base / fmt::format("edgegw-replay-{}", ::getpid());
  std::filesystem::create_directories(path);
  return path;
}

edgegw::KafkaConfig kafka_config(const std::string& bootstrap, edgegw::KafkaDelivery delivery) {
  edgegw::KafkaConfig config;
  config.bootstrap_servers = bootstrap;
  config.delivery = delivery;
  config.transactional_id = "edgegw-gw-bench";
  config.offsets_topic = kOffsetsTopic;
  for (std::uint8_t s = 0; s < edgegw::kStreamCount; ++s) {
    config.topics[static_cast<edgegw::Stream>(s)] = kTopic;
  }
  return config;
}

// Fills a fresh log with the backlog; returns the seconds it took (for the record).
double fill_log(edgegw::store::DurableLog& log, std::size_t records) {
  const auto start = Clock::now();
  for (std::size_t i = 0; i < records; ++i) {
    if (!log.append(edgegw::Stream::telemetry, record_key(i), record_value(i))) {
      throw std::runtime_error("append failed");
    }
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The gateway's forwarder drains the log: seconds until the cursor reaches the end.
double drain_with_forwarder(const std::filesystem::path& dir, const std::string& bootstrap,
                            std::size_t records, edgegw::KafkaDelivery delivery) {
  edgegw::store::LogConfig log_config;
  log_config.directory = dir / "log";
  log_config.segment_bytes = 64ULL << 20U;
  log_config.max_bytes = 16ULL << 30U;
  log_config.fsync = edgegw::store::FsyncPolicy::never;
  std::filesystem::remove_all(log_config.directory);
  auto log = edgegw::store::DurableLog::open(log_config);
  fill_log(*log, records);
  if (!log->sync()) {
    throw std::runtime_error("sync failed");
  }

  const edgegw::KafkaConfig config = kafka_config(bootstrap, delivery);
  edgegw::kafka::RdKafkaProducer producer(config, "gw-bench");
  edgegw::kafka::RdKafkaRecordReader reader(config);
  std::unique_ptr<edgegw::forward::LogForwarder> forwarder;
  if (delivery == edgegw::KafkaDelivery::exactly_once) {
    forwarder = std::make_unique<edgegw::forward::TransactionalForwarder>(
        config, "gw-bench", *log, producer, producer, reader);
  } else {
    forwarder = std::make_unique<edgegw::forward::Forwarder>(config, "gw-bench", *log, producer);
  }
  // Timed from start(): for exactly_once that includes registering the transactional
  // id and reading the (absent) cursor back, as at every start of the gateway.
  const auto start = Clock::now();
  forwarder->start();
  while (log->cursor() < records) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  forwarder->stop(std::chrono::seconds(10));
  return seconds;
}

// `kcat -P` produces the same records (key TAB value per line) from a file.
double produce_with_kcat(const std::filesystem::path& dir, const std::string& bootstrap,
                         std::size_t records) {
  const auto file = dir / "records.tsv";
  if (!std::filesystem::exists(file)) {
    std::ofstream out(file);
    for (std::size_t i = 0; i < records; ++i) {
      out << record_key(i) << '\t' << record_value(i) << '\n';
    }
  }
  // The forwarder's producer settings, and the same two headers per record (the
  // offset's value is constant here).
  const std::vector<std::string> args = {"kcat",       "-P",
                                         "-q",         "-b",
                                         bootstrap,    "-t",
                                         kTopic,       "-K",
                                         "\t",         "-l",
                                         "-X",         "enable.idempotence=true",
                                         "-X",         "compression.type=lz4",
                                         "-X",         "linger.ms=5",
                                         "-X",         "partitioner=murmur2_random",
                                         "-H",         "edgegw-gateway=gw-bench",
                                         "-H",         "edgegw-offset=1000000",
                                         file.string()};
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) {
      argv.push_back(
          const_cast<char*>(a.c_str()));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    }
    argv.push_back(nullptr);
    ::execvp("kcat", argv.data());
    std::_Exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("kcat failed (is it installed? scripts/install-deps.sh)");
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Spread {
  double min, median, max;
};
Spread spread(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v.front(), v[v.size() / 2], v.back()};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    spdlog::set_level(spdlog::level::warn);
    const auto dir = scratch_dir();
    std::vector<double> gateway_rate;
    std::vector<double> kcat_rate;
    std::vector<double> ratio;
    std::vector<double> eos_rate;
    std::vector<double> eos_ratio;
    for (int run = 0; run < o.repeats; ++run) {
      // A fresh cluster per side, so neither pays for the other's data.
      double forwarder_s = 0;
      double eos_s = 0;
      double kcat_s = 0;
      {
        edgegw::kafka::MockCluster cluster(3);
        cluster.create_topic(kTopic, 6, 3);
        forwarder_s = drain_with_forwarder(dir, cluster.bootstrap_servers(), o.records,
                                           edgegw::KafkaDelivery::at_least_once);
      }
      {
        edgegw::kafka::MockCluster cluster(3);
        cluster.create_topic(kTopic, 6, 3);
        cluster.create_topic(kOffsetsTopic, 1, 3);
        eos_s = drain_with_forwarder(dir, cluster.bootstrap_servers(), o.records,
                                     edgegw::KafkaDelivery::exactly_once);
      }
      {
        edgegw::kafka::MockCluster cluster(3);
        cluster.create_topic(kTopic, 6, 3);
        kcat_s = produce_with_kcat(dir, cluster.bootstrap_servers(), o.records);
      }
      gateway_rate.push_back(static_cast<double>(o.records) / forwarder_s);
      kcat_rate.push_back(static_cast<double>(o.records) / kcat_s);
      ratio.push_back(gateway_rate.back() / kcat_rate.back());
      eos_rate.push_back(static_cast<double>(o.records) / eos_s);
      eos_ratio.push_back(eos_rate.back() / gateway_rate.back());
      std::cout << fmt::format(
          "run {}: gateway {:.0f} records/s, exactly_once {:.0f} records/s, kcat -P {:.0f} "
          "records/s\n",
          run + 1, gateway_rate.back(), eos_rate.back(), kcat_rate.back());
    }
    std::filesystem::remove_all(dir);
    const auto g = spread(gateway_rate);
    const auto k = spread(kcat_rate);
    const auto r = spread(ratio);
    const auto e = spread(eos_rate);
    const auto er = spread(eos_ratio);
    std::cout << fmt::format(
        "replay of {} records, {} runs (min/median/max):\n"
        "  gateway forwarder  {:.0f} / {:.0f} / {:.0f} records/s\n"
        "  kcat -P            {:.0f} / {:.0f} / {:.0f} records/s\n"
        "  ratio              {:.2f} / {:.2f} / {:.2f}\n"
        "  exactly_once       {:.0f} / {:.0f} / {:.0f} records/s\n"
        "  ratio to at_least_once {:.2f} / {:.2f} / {:.2f}\n",
        o.records, o.repeats, g.min, g.median, g.max, k.min, k.median, k.max, r.min, r.median,
        r.max, e.min, e.median, e.max, er.min, er.median, er.max);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "replay_bench: " << e.what() << '\n';
    return 1;
  }
}
