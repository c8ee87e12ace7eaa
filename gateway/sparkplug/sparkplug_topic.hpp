#pragma once
// A Sparkplug B topic, `spBv1.0/<group>/<message type>/<edge node>[/<device>]`
// (specification section 4.1): which edge node or device a message is about and what it
// says. The views point into the topic.

#include <cstdint>
#include <string_view>

#include "edgegw/result.hpp"

namespace edgegw::sparkplug {

enum class MessageType : std::uint8_t { nbirth, ndeath, ndata, ncmd, dbirth, ddeath, ddata, dcmd };

struct Topic {
  std::string_view group;
  MessageType type = MessageType::ndata;
  std::string_view edge_node;
  std::string_view device;  // empty for the node's own messages

  [[nodiscard]] bool about_device() const { return !device.empty(); }
};

// An error (errc malformed_topic) naming what is wrong, when `topic` is not a Sparkplug B
// node or device topic (the host application's STATE topic is not one either).
Result<Topic> parse_topic(std::string_view topic);

std::string_view message_type_name(MessageType type);

}  // namespace edgegw::sparkplug
