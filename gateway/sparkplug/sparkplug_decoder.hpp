#pragma once
// Reads Sparkplug B messages the way a Sparkplug host application does (specification
// sections 5 and 6): birth certificates declare an edge node's and its devices' metrics
// with their names, aliases and types; data messages may then name a metric by its alias
// alone; a death certificate ends the session. So the decoder keeps, per edge node, the
// metrics its births declared and which of its devices are born, and refuses data it
// cannot read: from a node or device whose birth it has not seen (the gateway started
// after it, or a birth was lost), or with an alias no birth declared. Such data cannot
// be named safely; the caller dead-letters it.
//
// An NDEATH carries the bdSeq of the session it ends: one that does not match the last
// NBIRTH's is the late will message of an earlier session and is ignored (counted).
//
// Every message of a node's session but its NDEATH carries `seq`, 0 in the NBIRTH, then
// one more per message, modulo 256: a step of 2 to 128 is a gap (messages lost between
// the node and the gateway), reported as seq_gap; a repeated or older seq (a step of 0
// or over 128: a duplicate, or a message overtaken) is no gap and moves nothing.
//
// Bounded: at most `max_nodes` edge nodes and `max_metrics` metrics and devices per node;
// beyond them a birth is refused (too_many). Owned by the mapper; one thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "edgegw/result.hpp"
#include "sparkplug/sparkplug_topic.hpp"
#include "sparkplug/sparkplug_value.hpp"

namespace edgegw::sparkplug {

namespace proto {
class Payload;
}

// Views into the decoded payload or the decoder's tables: valid until the next decode().
struct Metric {
  std::string_view name;
  MetricValue value;
  std::int64_t timestamp_ms = 0;  // 0: none of its own
};

struct DecodedMessage {
  Topic topic;                    // views into the topic passed to decode()
  std::int64_t timestamp_ms = 0;  // the payload's; 0 when it has none
  std::vector<Metric> metrics;    // names resolved (births and data)
  // Devices of the edge node the message ends (NDEATH: the node's born devices, sorted).
  std::vector<std::string> ended_devices;
  bool ended_node = false;  // an NDEATH of the node's current session

  bool stale_death = false;   // an NDEATH of an earlier session, ignored
  std::uint32_t seq_gap = 0;  // messages of the node whose seq this one skipped
};

struct DecoderLimits {
  std::size_t max_nodes = 10000;
  std::size_t max_metrics = 10000;  // metrics, and devices, per edge node
};

class Decoder {
 public:
  explicit Decoder(DecoderLimits limits = {});
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  // Decodes one message and learns from it. `out` is reused between calls.
  Status decode(std::string_view topic, std::string_view payload, DecodedMessage& out);

  [[nodiscard]] std::size_t nodes() const { return nodes_.size(); }

 private:
  struct MetricInfo {
    std::string name;
    std::uint32_t datatype = 0;
  };
  struct NodeSession {
    std::uint64_t bd_seq = 0;
    std::uint64_t seq = 0;  // of the node's latest message in order
    std::unordered_map<std::uint64_t, MetricInfo> by_alias;
    std::unordered_map<std::string, std::uint32_t> datatype_by_name;
    std::unordered_set<std::string> born_devices;
  };

  Status node_birth(const std::string& key, DecodedMessage& out);
  Status device_birth(NodeSession& node, DecodedMessage& out);
  void node_death(const std::string& key, DecodedMessage& out);
  Status declare(NodeSession& node, std::string_view device);
  Status resolve(const NodeSession& node, DecodedMessage& out) const;
  NodeSession* born_node(const std::string& key);
  void check_seq(NodeSession& node, DecodedMessage& out) const;

  DecoderLimits limits_;
  std::unique_ptr<proto::Payload> payload_;             // reused: protobuf keeps its buffers
  std::unordered_map<std::string, NodeSession> nodes_;  // by "<group>/<edge node>"
  std::string key_;                                     // scratch
};

}  // namespace edgegw::sparkplug
