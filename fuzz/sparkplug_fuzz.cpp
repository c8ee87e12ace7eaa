// The Sparkplug B decoder over a conversation: the input is a sequence of messages, each
// one byte choosing the topic (message type, edge node, device) and two bytes of length,
// then the payload. One decoder sees them all in turn, so births, deaths, data by alias
// and garbage interleave as a hostile or broken edge node might send them.

#include <array>
#include <string>
#include <string_view>

#include "fuzz_target.hpp"
#include "sparkplug/sparkplug_decoder.hpp"

namespace {

constexpr std::array<const char*, 12> kTopics{
    "spBv1.0/g/NBIRTH/n1",    "spBv1.0/g/NDATA/n1",    "spBv1.0/g/NDEATH/n1",
    "spBv1.0/g/DBIRTH/n1/d1", "spBv1.0/g/DDATA/n1/d1", "spBv1.0/g/DDEATH/n1/d1",
    "spBv1.0/g/DBIRTH/n1/d2", "spBv1.0/g/DDATA/n1/d2", "spBv1.0/g/NBIRTH/n2",
    "spBv1.0/g/DDATA/n2/d1",  "spBv1.0/g/NCMD/n1",     "spBv1.0/g/STATE/host"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Small bounds, so that the fuzzer reaches them.
  edgegw::sparkplug::Decoder decoder({/*max_nodes=*/2, /*max_metrics=*/8});
  edgegw::sparkplug::DecodedMessage out;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (input.size() >= 3) {
    const auto topic = static_cast<std::size_t>(static_cast<unsigned char>(input[0]));
    const std::size_t length =
        static_cast<unsigned char>(input[1]) |
        (static_cast<std::size_t>(static_cast<unsigned char>(input[2])) << 8U);
    input.remove_prefix(3);
    const std::string_view payload = input.substr(0, length);
    input.remove_prefix(payload.size());
    (void)decoder.decode(kTopics.at(topic % kTopics.size()), payload, out);
    for (const auto& metric : out.metrics) {
      (void)metric.name.size();
    }
  }
  return 0;
}
