#include "sparkplug_node.hpp"

#include <fmt/format.h>

#include "sparkplug_encoder.hpp"

namespace edgegw::sim {

SparkplugNode::SparkplugNode(std::string group, std::string id, std::size_t first_device, int qos)
    : group_(std::move(group)), id_(std::move(id)), first_device_(first_device), qos_(qos) {}

std::string SparkplugNode::topic(std::string_view type, std::string_view device) const {
  return device.empty() ? fmt::format("spBv1.0/{}/{}/{}", group_, type, id_)
                        : fmt::format("spBv1.0/{}/{}/{}/{}", group_, type, id_, device);
}

// The node's own messages count as its first device's, and go over its connection.
Message SparkplugNode::message(std::string topic, std::int64_t now_ms) const {
  return Message{.topic = std::move(topic),
                 .payload = {},
                 .qos = qos_,
                 .event_ms = now_ms,
                 .device = first_device_,
                 .binary = true,
                 .connection_of = first_device_};
}

std::uint64_t SparkplugNode::next_seq() {
  const std::uint64_t seq = seq_;
  seq_ = (seq_ + 1) % 256;
  return seq;
}

Message SparkplugNode::birth(std::int64_t now_ms) {
  born_ = true;
  seq_ = 0;
  Message m = message(topic("NBIRTH"), now_ms);
  SparkplugEncoder::node_birth(now_ms, bd_seq_, m.payload);
  next_seq();
  return m;
}

Message SparkplugNode::death(std::int64_t now_ms) {
  born_ = false;
  Message m = message(topic("NDEATH"), now_ms);
  SparkplugEncoder::node_death(now_ms, bd_seq_, m.payload);
  bd_seq_ = (bd_seq_ + 1) % 256;  // the next session's
  return m;
}

}  // namespace edgegw::sim
