#pragma once
// What a Sparkplug B message says of its devices' presence: a birth certificate brings a
// node or device online, a death certificate takes it offline (an NDEATH the node and
// every device it had born). The analytics engine turns these into the device's
// `offline` alert and its clear (Engine::on_presence).

#include <vector>

#include "edgegw/device_presence.hpp"
#include "sparkplug/sparkplug_decoder.hpp"

namespace edgegw::mapping {

// Appends the changes `message` announces (none for data, commands and a stale NDEATH).
// The node's own device is the edge node id, as for its metrics.
void sparkplug_presence(const sparkplug::DecodedMessage& message, std::vector<PresenceChange>& out);

}  // namespace edgegw::mapping
