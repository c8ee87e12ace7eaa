#pragma once
// The simulated fleet in front of the example gateway config: runs edgegw-sim against a
// GatewayStack's broker and reads its labels back, the ground truth the fleet tests
// compare the gateway's Kafka output with.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "edgegw/clock.hpp"
#include "gateway_stack.hpp"

namespace edgegw::test {

struct FleetRun {
  std::vector<nlohmann::json> bad_payloads;       // labels of type bad_payload
  std::map<std::string, nlohmann::json> devices;  // labels of type device, by device
  std::size_t messages = 0;
};

inline FleetRun read_fleet_labels(const std::filesystem::path& labels) {
  FleetRun run;
  std::ifstream in(labels);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json label = nlohmann::json::parse(line);
    if (label.at("type") == "bad_payload") {
      run.bad_payloads.push_back(label);
    } else if (label.at("type") == "device") {
      run.messages += label.at("messages").get<std::size_t>();
      run.devices[label.at("device")] = label;
    }
  }
  return run;
}

// `--start` for a simulated clock running `duration_s`: its event time ends a minute
// before now. The fleet files start in 2024, far beyond the example config's
// max_sample_age behind the gateway's clock, and an accelerated run must not reach
// beyond max_clock_skew ahead of it.
inline std::vector<std::string> recent_start(int duration_s) {
  const std::int64_t start_ms = edgegw::wall_clock_ms() - (std::int64_t{duration_s} + 60) * 1000;
  return {"--start", std::to_string(start_ms)};
}

// Runs the simulator on `fleet` (accelerated, `duration_s` of event time) with `extra`
// flags (recent_start() unless they name a --start), waits for it, and returns its
// labels.
inline FleetRun run_simulator(const GatewayStack& stack, const std::filesystem::path& fleet,
                              int duration_s, std::vector<std::string> extra = {}) {
  if (std::find(extra.begin(), extra.end(), "--start") == extra.end()) {
    const std::vector<std::string> start = recent_start(duration_s);
    extra.insert(extra.end(), start.begin(), start.end());
  }
  const auto labels = stack.dir.path() / "labels.jsonl";
  std::vector<std::string> args = {EDGEGW_SIM_BINARY,
                                   "--fleet",
                                   fleet.string(),
                                   "--broker",
                                   stack.mosquitto.uri(),
                                   "--accelerated",
                                   "--duration",
                                   std::to_string(duration_s),
                                   "--labels",
                                   labels.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  ChildProcess sim(args, stack.dir.path() / "sim.out", stack.dir.path() / "sim.err");
  const auto rc = sim.wait_for(std::chrono::seconds(120));
  if (rc != 0) {
    throw std::runtime_error("edgegw-sim failed:\n" + read_file(stack.dir.path() / "sim.err"));
  }
  return read_fleet_labels(labels);
}

// The example config reads its addresses from the environment.
inline void point_example_config_at(const GatewayStack& stack, int http_port) {
  ::setenv("EDGEGW_MQTT_BROKER", stack.mosquitto.uri().c_str(), 1);
  ::setenv("EDGEGW_KAFKA_BOOTSTRAP", stack.kafka.bootstrap().c_str(), 1);
  ::setenv("EDGEGW_BUFFER_DIR", (stack.dir.path() / "example-buffer").c_str(), 1);
  ::setenv("EDGEGW_HTTP_LISTEN", fmt::format("127.0.0.1:{}", http_port).c_str(), 1);
  ::setenv("EDGEGW_GATEWAY_ID", "fleet-test", 1);
}

// The gateway with the example config, pointed at the stack's peers, connected to both.
inline std::unique_ptr<GatewayProcess> start_example_gateway(const GatewayStack& stack) {
  const int http_port = free_loopback_port();
  point_example_config_at(stack, http_port);
  auto gateway = std::make_unique<GatewayProcess>(EDGEGW_SOURCE_DIR "/config/gateway.example.yaml",
                                                  stack.dir.path() / "gateway.log", http_port);
  if (!gateway->wait_ready(std::chrono::seconds(30))) {
    throw std::runtime_error("the example gateway did not become ready:\n" + gateway->log());
  }
  return gateway;
}

}  // namespace edgegw::test
