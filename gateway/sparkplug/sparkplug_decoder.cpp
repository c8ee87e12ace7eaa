#include "sparkplug/sparkplug_decoder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sparkplug/sparkplug_errc.hpp"
#include "sparkplug_b.pb.h"

namespace edgegw::sparkplug {
namespace {

constexpr std::string_view kBdSeq = "bdSeq";  // the birth/death sequence metric

std::optional<std::uint64_t> bd_seq_of(const proto::Payload& payload) {
  for (const proto::Payload_Metric& m : payload.metrics()) {
    if (m.name() == kBdSeq) {
      return m.has_long_value() ? m.long_value() : m.int_value();
    }
  }
  return std::nullopt;
}

// A metric's name is unique within its node or device; aliases across the node and all
// its devices (section 6.4.5).
std::string scoped_name(std::string_view device, std::string_view name) {
  return fmt::format("{}/{}", device, name);
}

Error no_birth(const Topic& topic, bool node_born) {
  return make_error(SparkplugErrc::no_birth,
                    node_born ? fmt::format("no DBIRTH seen for device '{}' of edge node '{}'",
                                            topic.device, topic.edge_node)
                              : fmt::format("no NBIRTH seen for edge node '{}'", topic.edge_node));
}

}  // namespace

Decoder::Decoder(DecoderLimits limits)
    : limits_(limits), payload_(std::make_unique<proto::Payload>()) {}

Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

Status Decoder::decode(std::string_view topic, std::string_view payload, DecodedMessage& out) {
  out.metrics.clear();
  out.ended_devices.clear();
  out.ended_node = false;
  out.stale_death = false;
  out.seq_gap = 0;
  out.timestamp_ms = 0;
  Result<Topic> parsed = parse_topic(topic);
  if (!parsed) {
    return parsed.error();
  }
  out.topic = parsed.value();
  if (!payload_->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return make_error(SparkplugErrc::malformed_payload,
                      fmt::format("{} payload is not a Sparkplug B protobuf message",
                                  message_type_name(out.topic.type)));
  }
  out.timestamp_ms = static_cast<std::int64_t>(payload_->timestamp());
  key_ = fmt::format("{}/{}", out.topic.group, out.topic.edge_node);
  // The born node of every message but the node's own birth and death.
  const bool session_message =
      out.topic.type != MessageType::nbirth && out.topic.type != MessageType::ndeath;
  NodeSession* node = session_message ? born_node(key_) : nullptr;
  if (node != nullptr) {
    check_seq(*node, out);
  }
  switch (out.topic.type) {
    case MessageType::nbirth:
      return node_birth(key_, out);
    case MessageType::ndeath:
      node_death(key_, out);
      return Ok{};
    case MessageType::ndata:
      return node == nullptr ? Status(no_birth(out.topic, false)) : resolve(*node, out);
    case MessageType::dbirth:
      return node == nullptr ? Status(no_birth(out.topic, false)) : device_birth(*node, out);
    case MessageType::ddeath:
      if (node != nullptr && node->born_devices.erase(std::string(out.topic.device)) > 0) {
        out.ended_devices.emplace_back(out.topic.device);
      }
      return Ok{};
    case MessageType::ddata:
      if (node == nullptr || node->born_devices.count(std::string(out.topic.device)) == 0) {
        return no_birth(out.topic, node != nullptr);
      }
      return resolve(*node, out);
    case MessageType::ncmd:
    case MessageType::dcmd:
      return Ok{};  // a host application's command to the node: nothing to read
  }
  return Ok{};
}

Decoder::NodeSession* Decoder::born_node(const std::string& key) {
  const auto it = nodes_.find(key);
  return it == nodes_.end() ? nullptr : &it->second;
}

// Commands come from a host application, not the node: they carry no node seq.
void Decoder::check_seq(NodeSession& node, DecodedMessage& out) const {
  if (!payload_->has_seq() || out.topic.type == MessageType::ncmd ||
      out.topic.type == MessageType::dcmd) {
    return;
  }
  constexpr std::uint64_t kSeqModulo = 256;
  const std::uint64_t seq = payload_->seq() % kSeqModulo;
  const std::uint64_t step = (seq + kSeqModulo - node.seq) % kSeqModulo;
  if (step == 0 || step > kSeqModulo / 2) {
    return;  // a duplicate, or a message overtaken by a later one
  }
  out.seq_gap = static_cast<std::uint32_t>(step - 1);
  node.seq = seq;
}

// A new session of the node: whatever it declared before no longer holds.
Status Decoder::node_birth(const std::string& key, DecodedMessage& out) {
  if (nodes_.count(key) == 0 && nodes_.size() >= limits_.max_nodes) {
    return make_error(SparkplugErrc::too_many,
                      fmt::format("NBIRTH of edge node '{}' refused: {} edge nodes are known "
                                  "already (the bound)",
                                  out.topic.edge_node, limits_.max_nodes));
  }
  NodeSession& node = nodes_[key];
  node = NodeSession{};
  node.bd_seq = bd_seq_of(*payload_).value_or(0);
  node.seq = payload_->seq() % 256;  // 0, as the specification requires
  if (Status declared = declare(node, {}); !declared) {
    nodes_.erase(key);
    return declared;
  }
  return resolve(node, out);
}

Status Decoder::device_birth(NodeSession& node, DecodedMessage& out) {
  const std::string device(out.topic.device);
  if (node.born_devices.count(device) == 0 && node.born_devices.size() >= limits_.max_metrics) {
    return make_error(SparkplugErrc::too_many,
                      fmt::format("DBIRTH of device '{}' refused: edge node '{}' has {} devices "
                                  "(the bound)",
                                  device, out.topic.edge_node, limits_.max_metrics));
  }
  if (Status declared = declare(node, device); !declared) {
    return declared;
  }
  node.born_devices.insert(device);
  return resolve(node, out);
}

void Decoder::node_death(const std::string& key, DecodedMessage& out) {
  const auto it = nodes_.find(key);
  if (it == nodes_.end()) {
    return;
  }
  const std::optional<std::uint64_t> bd_seq = bd_seq_of(*payload_);
  if (bd_seq && *bd_seq != it->second.bd_seq) {
    out.stale_death = true;  // the will message of a session the node has replaced
    return;
  }
  out.ended_devices.assign(it->second.born_devices.begin(), it->second.born_devices.end());
  std::sort(out.ended_devices.begin(), out.ended_devices.end());  // not the hash order
  out.ended_node = true;
  nodes_.erase(it);
}

// Learns the names, aliases and types a birth certificate declares.
Status Decoder::declare(NodeSession& node, std::string_view device) {
  for (const proto::Payload_Metric& m : payload_->metrics()) {
    if (!m.has_name()) {
      return make_error(SparkplugErrc::malformed_payload,
                        "a birth certificate's metric has no name");
    }
    if (node.by_alias.size() >= limits_.max_metrics) {
      return make_error(SparkplugErrc::too_many,
                        fmt::format("more than {} metrics declared by one edge node (the bound)",
                                    limits_.max_metrics));
    }
    if (m.has_alias()) {
      node.by_alias[m.alias()] = MetricInfo{m.name(), m.datatype()};
    }
    node.datatype_by_name[scoped_name(device, m.name())] = m.datatype();
  }
  return Ok{};
}

Status Decoder::resolve(const NodeSession& node, DecodedMessage& out) const {
  out.metrics.reserve(static_cast<std::size_t>(payload_->metrics_size()));
  for (const proto::Payload_Metric& m : payload_->metrics()) {
    Metric metric;
    std::uint32_t datatype = m.datatype();
    if (m.has_name()) {
      metric.name = m.name();
      if (!m.has_datatype()) {
        const auto it = node.datatype_by_name.find(scoped_name(out.topic.device, m.name()));
        datatype = it == node.datatype_by_name.end() ? 0 : it->second;
      }
    } else {
      const auto it = node.by_alias.find(m.alias());
      if (!m.has_alias() || it == node.by_alias.end()) {
        return make_error(SparkplugErrc::unknown_alias,
                          fmt::format("metric alias {} was not declared by a birth certificate "
                                      "of edge node '{}'",
                                      m.alias(), out.topic.edge_node));
      }
      metric.name = it->second.name;
      datatype = m.has_datatype() ? m.datatype() : it->second.datatype;
    }
    metric.value = metric_value(m, datatype);
    metric.timestamp_ms = static_cast<std::int64_t>(m.timestamp());
    out.metrics.push_back(std::move(metric));
  }
  return Ok{};
}

}  // namespace edgegw::sparkplug
