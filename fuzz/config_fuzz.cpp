// The YAML config loader, from bytes: parsing, ${ENV} expansion and every section's
// validation. A ConfigError is the clean refusal; anything else escaping is a finding.

#include <cstdlib>
#include <string>

#include "config/config_node.hpp"
#include "config/gateway_config_loader.hpp"
#include "edgegw/config_error.hpp"
#include "fuzz_target.hpp"

namespace {

// Variables the seeds refer to, so that expansion succeeds as well as fails.
const bool kEnvironment = [] {
  setenv("EDGEGW_FUZZ_BROKER", "tcp://127.0.0.1:1883", 1);
  setenv("EDGEGW_FUZZ_BOOTSTRAP", "127.0.0.1:9092", 1);
  setenv("EDGEGW_FUZZ_EMPTY", "", 1);
  return true;
}();

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)kEnvironment;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto root = edgegw::config::ConfigNode::load_string(text, "fuzz.yaml");
    (void)edgegw::config::parse_gateway_config(root);
  } catch (const edgegw::config::ConfigError&) {
    // the refusal a user sees, naming file, line and key
  }
  return 0;
}
