#pragma once
// SIGHUP (`systemctl reload edgegw`) and POST /-/reload: apply the config file's
// current content to a running gateway.
//
// The new file is loaded and checked first, exactly as `check-config` and `run` check
// it: a file with a mistake is refused with its file:line reason and the running
// gateway goes on untouched. A valid one is applied one of two ways:
//  - In place, when the gateway id, the MQTT settings and subscriptions, the buffer and
//    the HTTP endpoint are unchanged (changed mappings, detectors, rules, maintenance
//    models, Kafka topics and settings): the pipeline, and the forwarder if Kafka's
//    settings changed, are swapped between two messages (GatewayDaemon::reload_in_place).
//    The MQTT session stays up, so every message arrives exactly once.
//  - Otherwise by a stop and a start in-process: intake stops (messages wait in the
//    broker's persistent session, as across a restart), Kafka gets what is in flight,
//    the cursor and the analytics checkpoint are saved, and a gateway built from the new
//    config resumes from the same log. Nothing is lost; as across a restart, a message
//    stored in the instant intake stops may come again from the broker.
// Either way detectors keep their state wherever their profile is unchanged (the
// checkpoint restores exactly those). Should the new config fail to start (an unusable
// buffer directory, a port in use, a model file that does not load), the previous
// config runs again.

#include <chrono>
#include <memory>
#include <string>

#include "app/gateway_daemon.hpp"
#include "http/deferred_reply.hpp"

namespace edgegw::app {

// Loads and checks the config file as `run` and `check-config` do, logging its security
// warnings; throws config::ConfigError on a mistake. The start and every reload use it.
GatewayConfig load_config_and_warn(const std::string& config_file);

// What a reload did, for the log, systemd and the answer to POST /-/reload.
struct ReloadOutcome {
  enum class Result {
    applied,            // the new config runs
    refused,            // the new config has a mistake (detail: file:line and why)
    previous_restored,  // the new config did not start (detail: why); the previous runs
  };
  Result result = Result::applied;
  std::string detail;
  // The gateway that runs afterwards: a new one, or the running one when refused.
  std::unique_ptr<GatewayDaemon> daemon;
};

// The one reload path, for SIGHUP and POST /-/reload alike. `on_reload_request` goes to
// the new gateway's operations endpoint. Throws only when neither the new nor the
// previous config starts.
ReloadOutcome reload_config(const std::string& config_file, std::unique_ptr<GatewayDaemon> running,
                            std::chrono::milliseconds flush_timeout,
                            const http::ReloadHandler& on_reload_request);

}  // namespace edgegw::app
