// ns per message of MessageRouter::route (map, join the device's metadata tags, encode
// the telemetry record), without a metadata file and with one of 10,000 devices of 5
// columns, as values only (the lookup) and as tags (the join and a larger record): what
// device metadata adds to the ingest callback.
//
//   build/bench/mapping/bench_routing --benchmark_min_time=0.5 --benchmark_repetitions=5

#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "config/gateway_config_loader.hpp"
#include "pipeline/message_router.hpp"

namespace {

constexpr int kDevices = 10'000;

edgegw::GatewayConfig config() {
  return edgegw::config::parse_gateway_config(edgegw::config::ConfigNode::load_string(
      R"(gateway: { id: bench }
mqtt: { broker: "tcp://127.0.0.1:1883" }
mappings:
  - name: pumps
    topic: "plant/{site}/{device}/telemetry"
    format: json
    tags: [site]
    sequence: seq
    timestamp: { field: ts, format: milliseconds }
    max_sample_age: none
    max_clock_skew: none
    sensors:
      - { name: temperature, field: temp, unit: degC }
      - { name: pressure, field: p.value, unit: bar, scale: 0.01 }
kafka: { bootstrap_servers: "127.0.0.1:9092" }
buffer: { directory: /var/lib/edgegw/buffer }
)",
      "bench.yaml"));
}

// `tags`: whether the columns are tags too (else the lookup alone is measured).
std::shared_ptr<const edgegw::DeviceMetadataTable> metadata(bool tags) {
  auto table = std::make_shared<edgegw::DeviceMetadataTable>();
  for (int d = 0; d < kDevices; ++d) {
    edgegw::DeviceMetadata m;
    m.values = {{"site", "north"},
                {"line", fmt::format("L{}", d % 12)},
                {"model", "P-200"},
                {"install_date", "2021-03-04"},
                {"max_bearing_temp", "80"}};
    if (tags) {
      m.tags = m.values;
    }
    table->add(fmt::format("pump-{:05}", d), m);
  }
  return table;
}

enum class Metadata { none, lookup_only, tags };

void route(benchmark::State& state, Metadata with) {
  edgegw::GatewayConfig c = config();
  if (with != Metadata::none) {
    c.device_metadata = metadata(with == Metadata::tags);
  }
  edgegw::pipeline::MessageRouter router(c);
  std::vector<std::string> topics;
  for (int d = 0; d < kDevices; d += 97) {
    topics.push_back(fmt::format("plant/north/pump-{:05}/telemetry", d));
  }
  const std::string payload =
      R"({"seq":123456,"ts":1733500000000,"temp":20.51,"p":{"value":1042}})";
  edgegw::mapping::MapOutcome outcome;
  std::vector<edgegw::records::Record> records;
  std::size_t i = 0;
  for (auto _ : state) {
    router.route(topics[i++ % topics.size()], payload, 1733500000000, outcome, records);
    benchmark::DoNotOptimize(records.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RouteWithoutMetadata(benchmark::State& state) {
  route(state, Metadata::none);
}
void BM_RouteWithMetadataLookupOnly(benchmark::State& state) {
  route(state, Metadata::lookup_only);
}
void BM_RouteWithMetadataTags(benchmark::State& state) {
  route(state, Metadata::tags);
}
BENCHMARK(BM_RouteWithoutMetadata);
BENCHMARK(BM_RouteWithMetadataLookupOnly);
BENCHMARK(BM_RouteWithMetadataTags);

}  // namespace

BENCHMARK_MAIN();
