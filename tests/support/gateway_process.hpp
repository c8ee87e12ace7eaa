#pragma once
// The gateway as users run it: the real `edgegw run` binary as a child process, with a
// config written for the test (real mosquitto, mock Kafka, its own buffer directory).

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "support/child_process.hpp"

namespace edgegw::test {

struct GatewayTestConfig {
  std::string broker_uri;
  std::string bootstrap;
  std::filesystem::path buffer_dir;
  int http_port = 0;
  std::string client_id = "edgegw-it";
  std::string segment_size = "1MiB";
  // mqtt.subscriptions: wider than the mapping, so that unmapped topics reach the
  // dead-letter stream.
  std::string subscriptions = R"(["plant/#", "unrelated/#"])";
  std::string mqtt_extra;       // extra YAML lines under `mqtt:` (indented by 2)
  std::string buffer_extra;     // extra YAML lines under `buffer:` (indented by 2)
  std::string kafka_extra;      // extra YAML lines under `kafka:`
  std::string forward = "raw";  // the mapping's `forward`
  // Extra YAML lines in the mapping (indented by 4). The test payloads replay a fixed time
  // line (November 2023), far beyond the default max_sample_age behind the clock.
  std::string mapping_extra = "    max_sample_age: none";
  std::string tags = "[site]";  // the mapping's `tags`
  std::string sensors_extra;    // extra sensors of the mapping (YAML lines indented by 6)
  std::string mappings_extra;   // more items of `mappings:` (YAML lines indented by 2)
  std::string analytics;        // a whole top-level `analytics:` section, if any
  std::string http_token;       // http.token; the process then sends it with every request
};

// An answer of the gateway's operations endpoint (status 0: no answer).
struct HttpAnswer {
  int status = 0;
  std::string body;
};

// A gateway config with one JSON mapping for `plant/{site}/{device}/telemetry`:
// {"seq": N, "ts": ms, "temp": x, "p": {"value": y}} → temperature (degC, -50..200),
// pressure (kPa → bar via scale 0.01).
std::string gateway_test_config_yaml(const GatewayTestConfig& config);

class GatewayProcess {
 public:
  // Writes nothing; `config_file` must exist. Starts at once.
  GatewayProcess(const std::filesystem::path& config_file, const std::filesystem::path& log_file,
                 int http_port, std::string http_token = "");
  // Waits until /readyz says ready (MQTT connected, Kafka reachable).
  bool wait_ready(std::chrono::milliseconds timeout);
  // One metric value from /metrics, summed over its series when it has labels beyond
  // `gateway` (0 when absent or the gateway does not answer).
  double metric(const std::string& name) const;
  // Polls metric(name) every 50 ms until it reaches `at_least` or `timeout` passes;
  // returns the last value read.
  double wait_metric(const std::string& name, double at_least,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // SIGTERM, then SIGKILL after `grace`; the exit code. The gateway itself gives Kafka up
  // to 10 s (--flush-timeout) to take what is in flight.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(15)) {
    return process_->terminate(grace);
  }
  void kill();
  // SIGHUP (reload the config), then waits until the log says how it ended: true when
  // `outcome` (e.g. "Config reloaded.") appears `count` times in all, false at the timeout.
  bool reload(std::string_view outcome, int count = 1,
              std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // POST /-/reload with `token` (none: no Authorization field); returns when the gateway
  // answers, after the reload.
  [[nodiscard]] HttpAnswer post_reload(const std::string& token) const;
  [[nodiscard]] std::string log() const { return read_file(log_file_); }
  [[nodiscard]] bool running() { return process_->running(); }
  [[nodiscard]] pid_t pid() const { return process_->pid(); }

 private:
  std::filesystem::path log_file_;
  int http_port_;
  std::string http_token_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace edgegw::test
