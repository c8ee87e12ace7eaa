#include "sparkplug/sparkplug_topic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "edgegw/csv.hpp"
#include "sparkplug/sparkplug_errc.hpp"

namespace edgegw::sparkplug {
namespace {

constexpr std::string_view kNamespace = "spBv1.0";
constexpr std::array<std::pair<std::string_view, MessageType>, 8> kTypes{{
    {"NBIRTH", MessageType::nbirth},
    {"NDEATH", MessageType::ndeath},
    {"NDATA", MessageType::ndata},
    {"NCMD", MessageType::ncmd},
    {"DBIRTH", MessageType::dbirth},
    {"DDEATH", MessageType::ddeath},
    {"DDATA", MessageType::ddata},
    {"DCMD", MessageType::dcmd},
}};

bool is_device_type(MessageType type) {
  return type >= MessageType::dbirth;
}

Error malformed(std::string_view topic, std::string_view why) {
  return make_error(SparkplugErrc::malformed_topic,
                    fmt::format("'{}' is not a Sparkplug B topic: {}", topic, why));
}

}  // namespace

std::string_view message_type_name(MessageType type) {
  for (const auto& [name, t] : kTypes) {
    if (t == type) {
      return name;
    }
  }
  return "unknown";
}

Result<Topic> parse_topic(std::string_view topic) {
  const std::vector<std::string_view> levels = split_fields(topic, '/');
  if (levels.size() < 4 || levels[0] != kNamespace) {
    return malformed(topic, "expected spBv1.0/<group>/<message type>/<edge node>[/<device>]");
  }
  Topic t;
  t.group = levels[1];
  t.edge_node = levels[3];
  const auto* type = std::find_if(kTypes.begin(), kTypes.end(),
                                  [&](const auto& entry) { return entry.first == levels[2]; });
  if (type == kTypes.end()) {
    return malformed(topic, fmt::format("unknown message type '{}'", levels[2]));
  }
  t.type = type->second;
  const std::size_t expected = is_device_type(t.type) ? 5 : 4;
  if (levels.size() != expected) {
    return malformed(topic, fmt::format("{} takes {} levels", type->first, expected));
  }
  if (expected == 5) {
    t.device = levels[4];
  }
  if (t.group.empty() || t.edge_node.empty() || (expected == 5 && t.device.empty())) {
    return malformed(topic, "an empty group, edge node or device id");
  }
  return t;
}

}  // namespace edgegw::sparkplug
