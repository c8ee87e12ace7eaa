#pragma once
// SIGHUP (`systemctl reload edgegw`): apply the config file's current content to a
// running gateway.
//
// The new file is loaded and checked first, exactly as `check-config` and `run` check
// it: a file with a mistake is refused with its file:line reason and the running
// gateway goes on untouched. A valid one replaces the running gateway in-process by the
// same path as a stop and a start: intake stops (messages wait in the broker's
// persistent session, as across a restart), Kafka gets what is in flight, the cursor and
// the analytics checkpoint are saved, and a gateway built from the new config resumes
// from the same log. So every setting can change, nothing is lost, and detectors keep
// their state wherever their profile is unchanged (the checkpoint restores exactly
// those). Should the new config fail to start (an unusable buffer directory, a port in
// use), the previous config is started again.

#include <chrono>
#include <memory>
#include <string>

#include "app/gateway_daemon.hpp"

namespace edgegw::app {

// Loads and checks the config file as `run` and `check-config` do, logging its security
// warnings; throws config::ConfigError on a mistake. The start and every reload use it.
GatewayConfig load_config_and_warn(const std::string& config_file);

// Returns the gateway that runs afterwards: a new one, or `running` itself when the new
// config was refused. Throws only when neither the new nor the previous config starts.
std::unique_ptr<GatewayDaemon> reload_config(const std::string& config_file,
                                             std::unique_ptr<GatewayDaemon> running,
                                             std::chrono::milliseconds flush_timeout);

}  // namespace edgegw::app
