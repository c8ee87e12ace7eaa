#pragma once
// A device's own word that it went offline or came back: a Sparkplug B death
// certificate (NDEATH, DDEATH) or birth certificate (NBIRTH, DBIRTH). The mapper reads
// it from the message; the analytics engine turns it into the device's `offline` alert
// (raised by the death, cleared by the birth). Unlike the `silence` detector, which
// infers that a device is gone from the time since its last sample, nothing is guessed.

#include <string>
#include <utility>
#include <vector>

namespace edgegw {

enum class Presence { online, offline };

struct PresenceChange {
  std::string device;
  Presence presence = Presence::offline;
  std::string reason;  // why: death_certificate, birth_certificate
  // What names the device in the protocol: group, edge_node, device, message (NDEATH...).
  std::vector<std::pair<std::string, std::string>> evidence;
};

}  // namespace edgegw
