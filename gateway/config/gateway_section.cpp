#include "config/option_table.hpp"
#include "config/sections.hpp"

namespace edgegw::config {
namespace {

// The section is one key; a struct gives it a table like every other section.
struct GatewaySection {
  std::string id;
};

const OptionTable<GatewaySection>& gateway_options() {
  static const OptionTable<GatewaySection> table = {
      text<GatewaySection>("id", &GatewaySection::id,
                           "This gateway's name; in every record (`gateway`) and in the "
                           "`edgegw-gateway` Kafka header.",
                           EmptyValue::refused)
          .required(),
  };
  return table;
}

}  // namespace

std::string parse_gateway_section(const ConfigNode& node) {
  GatewaySection gateway;
  read_options(node, gateway_options(), gateway);
  return gateway.id;
}

std::vector<OptionDoc> describe_gateway_section() {
  return describe_options(gateway_options());
}

}  // namespace edgegw::config
