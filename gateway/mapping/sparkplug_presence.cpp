#include "mapping/sparkplug_presence.hpp"

#include <string>

namespace edgegw::mapping {
namespace {

using sparkplug::MessageType;

// `device` empty: the edge node itself.
PresenceChange change_of(const sparkplug::Topic& topic, std::string_view device,
                         Presence presence) {
  PresenceChange c;
  c.device = device.empty() ? topic.edge_node : device;
  c.presence = presence;
  c.reason = presence == Presence::online ? "birth_certificate" : "death_certificate";
  c.evidence = {{"group", std::string(topic.group)},
                {"edge_node", std::string(topic.edge_node)},
                {"message", std::string(sparkplug::message_type_name(topic.type))}};
  if (!device.empty()) {
    c.evidence.emplace_back("device", std::string(device));
  }
  return c;
}

}  // namespace

void sparkplug_presence(const sparkplug::DecodedMessage& message,
                        std::vector<PresenceChange>& out) {
  const sparkplug::Topic& topic = message.topic;
  switch (topic.type) {
    case MessageType::nbirth:
      out.push_back(change_of(topic, {}, Presence::online));
      break;
    case MessageType::dbirth:
      out.push_back(change_of(topic, topic.device, Presence::online));
      break;
    case MessageType::ndeath:
      if (message.ended_node) {
        out.push_back(change_of(topic, {}, Presence::offline));
      }
      for (const std::string& device : message.ended_devices) {
        out.push_back(change_of(topic, device, Presence::offline));
      }
      break;
    case MessageType::ddeath:
      for (const std::string& device : message.ended_devices) {
        out.push_back(change_of(topic, device, Presence::offline));
      }
      break;
    case MessageType::ndata:
    case MessageType::ddata:
    case MessageType::ncmd:
    case MessageType::dcmd:
      break;
  }
}

}  // namespace edgegw::mapping
