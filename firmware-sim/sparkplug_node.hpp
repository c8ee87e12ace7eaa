#pragma once
// A simulated Sparkplug B edge node: the MQTT-level identity a group of simulated
// devices publishes under (docs/firmware-sim.md). It keeps what the specification makes
// per node: the session's birth/death sequence number (bdSeq, one per NBIRTH), the
// message sequence number (seq, 0-255, shared by the node's and its devices' messages
// in publish order), and whether its NBIRTH has gone out.
//
// Owned by FleetGenerator; its devices hold a pointer. Single-threaded, pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "message.hpp"

namespace edgegw::sim {

class SparkplugNode {
 public:
  // `first_device`: the fleet index of its first device, which the node's own messages
  // are counted against.
  SparkplugNode(std::string group, std::string id, std::size_t first_device, int qos);

  [[nodiscard]] const std::string& group() const { return group_; }
  [[nodiscard]] const std::string& id() const { return id_; }
  [[nodiscard]] bool born() const { return born_; }
  [[nodiscard]] std::size_t first_device() const { return first_device_; }

  // "spBv1.0/<group>/<type>/<node>[/<device>]".
  [[nodiscard]] std::string topic(std::string_view type, std::string_view device = {}) const;
  // The next message's seq: 0 for the NBIRTH, then 1..255, 0, 1...
  std::uint64_t next_seq();

  // NBIRTH: a new session (bdSeq), its seq 0.
  Message birth(std::int64_t now_ms);
  // NDEATH of the current session (its bdSeq); the node is no longer born.
  Message death(std::int64_t now_ms);

 private:
  [[nodiscard]] Message message(std::string topic, std::int64_t now_ms) const;

  std::string group_;
  std::string id_;
  std::size_t first_device_;
  int qos_;
  bool born_ = false;
  std::uint64_t bd_seq_ = 0;
  std::uint64_t seq_ = 0;
};

}  // namespace edgegw::sim
