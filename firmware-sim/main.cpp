// edgegw-sim: a fleet of simulated devices publishing telemetry over MQTT, with wear,
// failures, injected anomalies, bad payloads, and a ground-truth labels file.
// Wiring only: options → FleetConfig → FleetGenerator → sink, driven by run_fleet().

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "edgegw/build_info.hpp"
#include "edgegw/clock.hpp"
#include "fleet_config.hpp"
#include "fleet_generator.hpp"
#include "message_sink.hpp"
#include "mqtt_sink.hpp"
#include "runner.hpp"
#include "sharded_mqtt_sink.hpp"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int /*signo*/) {
  g_stop.store(true);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct Options {
  std::string fleet_file;
  std::string broker = "tcp://127.0.0.1:1883";
  std::string client_id;
  std::string username;
  std::string password;
  std::optional<std::uint64_t> seed;
  std::string start;
  bool accelerated = false;
  double rate = 0.0;
  std::optional<double> duration_s;
  std::optional<std::uint64_t> messages;
  std::string labels_file;
  std::string dry_run_file;
  bool dry_run_time = false;
  bool no_publish = false;
  bool no_bad_payloads = false;
  bool no_anomalies = false;
  bool load = false;
  int devices = 0;
  std::size_t connections = 1;
  std::optional<int> qos;
  std::optional<std::int64_t> interval_ms;
  std::size_t max_pending = 10000;
  std::size_t max_buffered = 100000;
  int connect_timeout_s = 10;
  std::string log_level = "info";
};

// Load mode: `devices` devices spread round-robin over the fleet's classes.
void set_device_count(edgegw::sim::FleetConfig& fleet, int devices) {
  for (auto& c : fleet.classes) {
    c.count = 0;
  }
  for (int i = 0; i < devices; ++i) {
    fleet.classes.at(static_cast<std::size_t>(i) % fleet.classes.size()).count += 1;
  }
}

// Paho's own message for a bad URI ("Invalid protocol scheme") does not say which URI.
std::string broker_problem(const std::string& broker) {
  const auto sep = broker.find("://");
  if (sep == std::string::npos) {
    return {};  // host:port, which Paho takes as tcp://
  }
  const std::string scheme = broker.substr(0, sep);
  for (const char* known : {"tcp", "mqtt", "ssl", "mqtts", "ws", "wss"}) {
    if (scheme == known) {
      return {};
    }
  }
  return "unknown scheme '" + scheme + "' (tcp, mqtt, ssl, mqtts, ws or wss)";
}

int run(const Options& o) {
  using namespace edgegw::sim;
  FleetConfig fleet = o.fleet_file.empty() ? default_fleet() : load_fleet_file(o.fleet_file);
  if (o.seed) {
    fleet.seed = *o.seed;
  }
  if (o.no_bad_payloads) {
    fleet.bad_payloads.enabled = false;
  }
  if (o.no_anomalies) {
    fleet.anomalies.enabled = false;
  }
  for (auto& c : fleet.classes) {
    c.qos = o.qos.value_or(c.qos);
    c.interval_ms = o.interval_ms.value_or(c.interval_ms);
  }
  if (o.load) {
    set_device_count(fleet, o.devices);
  }
  const bool simulated_clock = o.accelerated || o.load || !o.dry_run_file.empty() || o.no_publish;
  if (!o.start.empty()) {
    const auto ms = parse_time_ms(o.start);
    if (!ms) {
      throw CLI::ValidationError("--start", "expected 2024-01-01T00:00:00Z or epoch ms");
    }
    fleet.start_ms = *ms;
  } else if (!simulated_clock) {
    fleet.start_ms = edgegw::wall_clock_ms();  // real time: timestamps are now
  }
  FleetGenerator generator(fleet);

  std::unique_ptr<MessageSink> sink;
  if (!o.dry_run_file.empty()) {
    sink = std::make_unique<DryRunSink>(o.dry_run_file, o.dry_run_time);
  } else if (o.no_publish) {
    sink = std::make_unique<NullSink>();
  } else {
    MqttSinkConfig mc;
    mc.broker = o.broker;
    mc.client_id = o.client_id.empty() ? "edgegw-sim-" + std::to_string(::getpid()) : o.client_id;
    mc.username = o.username;
    mc.password = o.password;
    mc.max_pending = o.max_pending;
    mc.max_buffered = o.max_buffered;
    mc.connect_timeout = std::chrono::seconds(o.connect_timeout_s);
    if (o.connections > 1) {
      sink = std::make_unique<ShardedMqttSink>(mc, o.connections, g_stop);
    } else {
      sink = std::make_unique<MqttSink>(mc, g_stop);  // no hand-off to a worker thread
    }
  }
  std::ofstream labels;
  if (!o.labels_file.empty()) {
    labels.open(o.labels_file, std::ios::trunc);
    if (!labels) {
      throw std::runtime_error("cannot create labels file " + o.labels_file);
    }
  }

  RunOptions ro;
  ro.pacing = simulated_clock ? Pacing::accelerated : Pacing::real_time;
  ro.rate = o.rate;
  ro.max_messages = o.messages;
  if (o.duration_s) {
    ro.duration_ms = static_cast<std::int64_t>(*o.duration_s * 1000.0);
  }
  ro.labels = labels.is_open() ? &labels : nullptr;
  spdlog::info("Starting the fleet. devices={} seed={} start_ms={} mode={} rate={}",
               fleet.device_count(), fleet.seed, fleet.start_ms,
               simulated_clock ? "accelerated" : "real_time", o.rate);
  const RunStats s = run_fleet(generator, *sink, ro, g_stop);
  const std::uint64_t resent = sink->resent();
  sink.reset();  // disconnect before reporting
  std::cout << "edgegw-sim: messages=" << s.messages << " ticks=" << s.ticks
            << " devices=" << fleet.device_count() << " bytes=" << s.bytes
            << " wall_s=" << s.wall_seconds
            << " rate_msg_s=" << static_cast<std::uint64_t>(s.rate())
            << " event_span_s=" << static_cast<double>(s.last_event_ms - s.first_event_ms) / 1000.0
            << " undelivered=" << s.undelivered << " resent=" << resent << " labels=" << s.labels
            << (s.stopped ? " stopped_by_signal=1" : "") << std::endl;
  return s.undelivered == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"edgegw-sim: a fleet of simulated industrial devices publishing MQTT telemetry"};
  app.set_version_flag("--version", edgegw::version_line("edgegw-sim"));
  app.add_option("--fleet", o.fleet_file, "Fleet file (YAML); built-in fleet when omitted")
      ->check(CLI::ExistingFile);
  app.add_option("--broker", o.broker, "MQTT broker URI")->capture_default_str();
  app.add_option("--client-id", o.client_id, "MQTT client id (default edgegw-sim-<pid>)");
  app.add_option("--username", o.username, "MQTT user name");
  app.add_option("--password", o.password, "MQTT password");
  app.add_option("--seed", o.seed, "Random seed (overrides the fleet file)");
  app.add_option("--start", o.start,
                 "Simulated start time, 2024-01-01T00:00:00Z or epoch ms (overrides the file)");
  app.add_flag("--accelerated", o.accelerated,
               "Simulated clock: publish as fast as --rate allows instead of in real time");
  app.add_option("--rate", o.rate, "Target messages per second when accelerated (0: maximum)")
      ->check(CLI::NonNegativeNumber);
  auto* duration = app.add_option("--duration", o.duration_s, "Seconds of event time to run")
                       ->check(CLI::PositiveNumber);
  auto* messages = app.add_option("--messages", o.messages, "Stop after this many messages");
  app.add_option("--labels", o.labels_file, "Write ground-truth labels (JSON lines) here");
  auto* dry_run = app.add_option("--dry-run", o.dry_run_file,
                                 "Write 'topic<TAB>payload' lines to this file instead of "
                                 "publishing");
  app.add_flag("--dry-run-time", o.dry_run_time,
               "Start each dry-run line with the message's publish time (epoch ms) and a TAB")
      ->needs(dry_run);
  app.add_flag("--no-publish", o.no_publish, "Generate and discard (measures generation)");
  app.add_flag("--no-bad-payloads", o.no_bad_payloads, "Disable malformed/oversized payloads");
  app.add_flag("--no-anomalies", o.no_anomalies, "Disable injected signal anomalies");
  app.add_option("--qos", o.qos, "QoS for every class (overrides the file)")
      ->check(CLI::Range(0, 2));
  app.add_option("--interval-ms", o.interval_ms, "Publish interval for every class")
      ->check(CLI::PositiveNumber);
  auto* load =
      app.add_flag("--load", o.load, "Load mode: --devices D devices, --messages N, accelerated");
  app.add_option("--devices", o.devices, "Load mode: number of devices")
      ->check(CLI::Range(1, 1000000))
      ->needs(load);
  app.add_option("--connections", o.connections,
                 "MQTT connections publishing in parallel; each device stays on one")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--max-pending", o.max_pending, "Messages awaiting broker acks before blocking")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-buffered", o.max_buffered, "Messages buffered while disconnected")
      ->check(CLI::PositiveNumber);
  app.add_option("--connect-timeout", o.connect_timeout_s,
                 "Seconds to wait for the broker at start")
      ->check(CLI::PositiveNumber);
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  app.get_option("--dry-run")->excludes("--no-publish");
  (void)duration;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Exit 2 like every other usage error, not CLI11's own codes (105, 109, …).
    std::cerr << "edgegw-sim: " << e.what() << "\nRun with --help for the options.\n";
    return 2;
  }
  if (const std::string problem = broker_problem(o.broker); !problem.empty()) {
    std::cerr << "edgegw-sim: --broker " << o.broker << ": " << problem << '\n';
    return 2;
  }
  if (o.load && (o.devices <= 0 || !*messages)) {
    std::cerr << "edgegw-sim: --load needs --devices D and --messages N\n";
    return 2;
  }

  auto logger = spdlog::stderr_color_mt("sim");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(o.log_level));
  install_signal_handlers();
  try {
    return run(o);
  } catch (const edgegw::sim::FleetConfigError& e) {
    std::cerr << "edgegw-sim: fleet file error: " << e.what() << '\n';
    return 2;
  } catch (const CLI::Error& e) {
    std::cerr << "edgegw-sim: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "edgegw-sim: " << e.what() << '\n';
    return 3;
  }
}
