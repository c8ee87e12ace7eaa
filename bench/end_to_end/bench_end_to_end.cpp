// End-to-end throughput: how fast the whole gateway (MQTT in, map, log, Kafka out) moves
// QoS 1 telemetry, compared with how fast the same broker hands the same messages to
// mosquitto_sub, the fastest subscriber there is on this machine. Each repeat starts
// fresh processes, so that no run inherits another's queues, sessions or page cache of
// log segments. A system benchmark: plain processes and wall clocks, no Google Benchmark.

#include <fmt/format.h>
#include <httplib.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "device_load.hpp"
#include "process_stats.hpp"
#include "support/gateway_process.hpp"
#include "support/kafka_fixture.hpp"
#include "support/mosquitto_fixture.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using edgegw::bench::DeviceLoad;
using edgegw::bench::LoadSpec;
using edgegw::test::ChildProcess;
using edgegw::test::TempDir;

struct Options {
  LoadSpec load;
  int repeats = 3;
  int timeout_s = 300;  // per phase
  bool verify = true;
  bool analytics = false;  // also run the gateway with the default analytics on
};

// What one gateway phase measured.
struct GatewayPhase {
  double rate = 0;            // msg/s until Kafka acknowledged the last record
  double publisher_rate = 0;  // msg/s until every PUBACK to the publishers
  double peak_rss_mib = 0;
  double cpu_us_per_message = 0;  // the gateway's user + system CPU per message
};

struct RunResult {
  double baseline_rate = 0;            // msg/s drained by mosquitto_sub
  double baseline_publisher_rate = 0;  // msg/s until every PUBACK, in the baseline
  GatewayPhase off;                    // the gateway as the integration tests run it
  // With analytics on (--analytics): every detector of the default profile, windows
  // forwarded to the aggregates topic next to the raw telemetry.
  GatewayPhase on;
};

// The default analytics (every detector of the default profile, 60 s windows), as a
// user turns them on with `analytics: { enabled: true }`.
constexpr const char* kDefaultAnalytics = "analytics:\n  enabled: true\n";

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Baseline: the broker's drain rate to mosquitto_sub at QoS 1. The subscriber's
// persistent session is created first (-c -E exits once the subscription is
// acknowledged), so that the timed subscriber misses nothing however late it connects.
std::pair<double, double> run_baseline(const Options& o) {
  TempDir dir;
  edgegw::test::MosquittoFixture mosquitto;
  const std::vector<std::string> common = {"/usr/bin/mosquitto_sub",
                                           "-h",
                                           "127.0.0.1",
                                           "-p",
                                           std::to_string(mosquitto.port()),
                                           "-q",
                                           "1",
                                           "-c",
                                           "-i",
                                           "bench-drain",
                                           "-t",
                                           "plant/#"};
  {
    std::vector<std::string> argv = common;
    argv.emplace_back("-E");
    ChildProcess session(argv, dir.path() / "session.out", dir.path() / "session.err");
    if (session.wait_for(std::chrono::seconds(10)) != 0) {
      throw std::runtime_error("mosquitto_sub could not subscribe: " +
                               edgegw::test::read_file(dir.path() / "session.err"));
    }
  }
  DeviceLoad load(o.load, mosquitto.uri(), "bench-baseline");
  std::vector<std::string> argv = common;
  argv.insert(argv.end(), {"-C", std::to_string(o.load.messages)});
  ChildProcess drain(argv, "/dev/null", dir.path() / "drain.err");
  const Clock::time_point t0 = load.start();
  const std::optional<int> code = drain.wait_for(std::chrono::seconds(o.timeout_s));
  const Clock::time_point drained = Clock::now();
  const Clock::time_point acked = load.join();
  if (code != 0) {
    throw std::runtime_error(
        fmt::format("mosquitto_sub did not receive {} messages within {} s (exit {}): {}",
                    o.load.messages, o.timeout_s, code ? std::to_string(*code) : "none",
                    edgegw::test::read_file(dir.path() / "drain.err")));
  }
  return {o.load.messages / seconds_between(t0, drained),
          o.load.messages / seconds_between(t0, acked)};
}

// Every gateway counter in one /metrics response (name without labels → value).
std::map<std::string, double> scrape(int http_port) {
  std::map<std::string, double> values;
  httplib::Client client("127.0.0.1", http_port);
  client.set_connection_timeout(std::chrono::seconds(1));
  client.set_read_timeout(std::chrono::seconds(2));
  auto res = client.Get("/metrics");
  if (!res || res->status != 200) {
    return values;
  }
  std::istringstream lines(res->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const std::size_t name_end = line.find_first_of("{ ");
    const std::size_t value_start = line.rfind(' ');
    if (name_end != std::string::npos && value_start != std::string::npos) {
      // Summed over the series of a labelled metric (stream, reason).
      values[line.substr(0, name_end)] += std::stod(line.substr(value_start + 1));
    }
  }
  return values;
}

// Gateway: the same load through mosquitto → edgegw run → mock Kafka (3 brokers, 6
// partitions). Done when /metrics says all N messages arrived and Kafka acknowledged
// every record the log holds (edgegw_kafka_delivered_total ≥ N and ≥ appended records,
// which also covers any records analytics adds); the telemetry topic is then read back
// with a real consumer, untimed, to check that exactly N records are there.
GatewayPhase run_gateway(const Options& o, bool analytics) {
  GatewayPhase result;
  TempDir dir;
  edgegw::test::MosquittoFixture mosquitto;
  edgegw::test::KafkaFixture kafka;
  const int http_port = edgegw::test::free_loopback_port();
  edgegw::test::GatewayTestConfig config;
  config.broker_uri = mosquitto.uri();
  config.bootstrap = kafka.bootstrap();
  config.buffer_dir = dir.path() / "buffer";
  config.http_port = http_port;
  config.client_id = "edgegw-bench";
  if (analytics) {
    config.analytics = kDefaultAnalytics;
    config.forward = "both";  // raw telemetry and window aggregates
  }
  const auto config_file = dir.path() / "gateway.yaml";
  edgegw::test::write_file(config_file, edgegw::test::gateway_test_config_yaml(config));

  edgegw::test::GatewayProcess gateway(config_file, dir.path() / "gateway.log", http_port);
  if (!gateway.wait_ready(std::chrono::seconds(30))) {
    throw std::runtime_error("gateway did not become ready:\n" + gateway.log());
  }
  const pid_t pid = gateway.pid();

  DeviceLoad load(o.load, mosquitto.uri(), "bench-devices");
  const auto n = static_cast<double>(o.load.messages);
  const Clock::time_point t0 = load.start();
  const Clock::time_point deadline = t0 + std::chrono::seconds(o.timeout_s);
  Clock::time_point delivered_at{};
  for (;;) {
    auto m = scrape(http_port);
    const double delivered = m["edgegw_kafka_delivered_total"];
    if (m["edgegw_mqtt_messages_total"] >= n && delivered >= n &&
        delivered >= m["edgegw_log_appended_records_total"]) {
      delivered_at = Clock::now();
      break;
    }
    if (Clock::now() > deadline || !gateway.running()) {
      load.join();
      throw std::runtime_error(fmt::format("Kafka acknowledged {} of {} records within {} s:\n{}",
                                           delivered, n, o.timeout_s, gateway.log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const Clock::time_point acked = load.join();
  result.rate = n / seconds_between(t0, delivered_at);
  result.publisher_rate = n / seconds_between(t0, acked);

  // Just before stopping: VmHWM is the peak over the whole run.
  if (auto stats = edgegw::bench::read_process_stats(pid)) {
    result.peak_rss_mib = stats->peak_rss_mib;
    result.cpu_us_per_message = stats->cpu_seconds * 1e6 / n;
  }
  if (o.verify) {
    edgegw::test::KafkaReader reader(kafka.bootstrap(), "edgegw.telemetry");
    const auto want = static_cast<std::size_t>(o.load.messages);
    std::size_t got = reader.read_until(want, std::chrono::seconds(o.timeout_s));
    if (got == want) {
      got = reader.drain(std::chrono::milliseconds(500));
    }
    if (got != want) {
      throw std::runtime_error(
          fmt::format("edgegw.telemetry holds {} records, expected {}", got, want));
    }
  }
  gateway.terminate();
  return result;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      return line.substr(line.find(':') + 2);
    }
  }
  return "unknown";
}

struct Column {
  const char* header;
  int width;
  int precision;
  std::function<double(const RunResult&)> value;
};

std::vector<Column> columns(const Options& o) {
  std::vector<Column> c = {
      {"baseline msg/s", 16, 0, [](const RunResult& r) { return r.baseline_rate; }},
      {"(publishers)", 14, 0, [](const RunResult& r) { return r.baseline_publisher_rate; }},
      {"gateway msg/s", 15, 0, [](const RunResult& r) { return r.off.rate; }},
      {"(publishers)", 14, 0, [](const RunResult& r) { return r.off.publisher_rate; }},
      {"gw/base", 9, 2, [](const RunResult& r) { return r.off.rate / r.baseline_rate; }},
      {"peak RSS MiB", 14, 1, [](const RunResult& r) { return r.off.peak_rss_mib; }},
      {"CPU us/msg", 12, 1, [](const RunResult& r) { return r.off.cpu_us_per_message; }},
  };
  if (o.analytics) {
    c.push_back({"+analytics msg/s", 18, 0, [](const RunResult& r) { return r.on.rate; }});
    c.push_back({"(publishers)", 14, 0, [](const RunResult& r) { return r.on.publisher_rate; }});
    c.push_back({"on/off", 8, 2, [](const RunResult& r) { return r.on.rate / r.off.rate; }});
    c.push_back({"RSS MiB", 9, 1, [](const RunResult& r) { return r.on.peak_rss_mib; }});
    c.push_back({"CPU us/msg", 12, 1, [](const RunResult& r) { return r.on.cpu_us_per_message; }});
    c.push_back({"CPU on/off", 12, 2, [](const RunResult& r) {
                   return r.on.cpu_us_per_message / r.off.cpu_us_per_message;
                 }});
  }
  return c;
}

void print_row(const std::vector<Column>& cols, const std::string& label,
               const std::vector<double>& values) {
  std::string line = fmt::format("{:<8}", label);
  for (std::size_t i = 0; i < cols.size(); ++i) {
    line += fmt::format("{:>{}.{}f}", values[i], cols[i].width, cols[i].precision);
  }
  fmt::print("{}\n", line);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "End-to-end throughput: mosquitto → edgegw → mock Kafka, against mosquitto → "
      "mosquitto_sub, at QoS 1"};
  app.add_option("--messages,-n", o.load.messages, "Messages per run")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--devices,-d", o.load.devices, "Simulated devices")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--repeats,-r", o.repeats, "Runs of both phases")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--payload-bytes", o.load.payload_bytes,
                 "Pad each payload to this size (default: the mapping's natural ~60 bytes)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--publishers", o.load.publishers,
                 "MQTT publisher clients, one thread each (one Paho QoS 1 client alone is "
                 "slower than the broker)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--timeout", o.timeout_s, "Seconds allowed per phase")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_flag("--analytics", o.analytics,
               "Also run the gateway with the default analytics on, each repeat, and report "
               "it as a ratio to analytics off");
  app.add_flag("!--no-verify", o.verify,
               "Skip reading the telemetry topic back after each gateway run");
  CLI11_PARSE(app, argc, argv);

  try {
    {
      // Only to report the payload size; connects nothing until a broker exists.
      const auto bytes =
          static_cast<double>(edgegw::bench::padded_payload(0, 1, o.load.payload_bytes).size());
      fmt::print(
          "{} messages, {} devices, {} publisher clients, QoS 1, ~{:.0f}-byte payloads, {} "
          "repeats\n{} cores, {}\n\n",
          o.load.messages, o.load.devices, std::min(o.load.publishers, o.load.devices), bytes,
          o.repeats, std::thread::hardware_concurrency(), cpu_model());
    }
    const std::vector<Column> cols = columns(o);
    std::string header = fmt::format("{:<8}", "run");
    for (const Column& c : cols) {
      header += fmt::format("{:>{}}", c.header, c.width);
    }
    fmt::print("{}\n", header);
    std::fflush(stdout);

    std::vector<RunResult> results;
    for (int r = 1; r <= o.repeats; ++r) {
      RunResult result;
      std::tie(result.baseline_rate, result.baseline_publisher_rate) = run_baseline(o);
      result.off = run_gateway(o, false);
      if (o.analytics) {
        result.on = run_gateway(o, true);
      }
      results.push_back(result);
      std::vector<double> row;
      row.reserve(cols.size());
      for (const Column& c : cols) {
        row.push_back(c.value(result));
      }
      print_row(cols, std::to_string(r), row);
      std::fflush(stdout);
    }

    std::vector<double> mins;
    std::vector<double> medians;
    std::vector<double> maxes;
    for (const Column& c : cols) {
      std::vector<double> v;
      v.reserve(results.size());
      for (const RunResult& r : results) {
        v.push_back(c.value(r));
      }
      mins.push_back(*std::min_element(v.begin(), v.end()));
      medians.push_back(median(v));
      maxes.push_back(*std::max_element(v.begin(), v.end()));
    }
    fmt::print("\n");
    print_row(cols, "min", mins);
    print_row(cols, "median", medians);
    print_row(cols, "max", maxes);
    fmt::print(
        "\nbaseline: first publish → mosquitto_sub -q 1 exits after N messages.\n"
        "gateway: first publish → /metrics edgegw_kafka_delivered_total reaches N.\n"
        "(publishers): first publish → last PUBACK to the publishers; when a phase's rate\n"
        "equals its publishers' rate, the publishers, not the system under test, set it.\n");
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_end_to_end: {}\n", e.what());
    return 1;
  }
  return 0;
}
