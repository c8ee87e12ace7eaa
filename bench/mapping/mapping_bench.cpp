// ns per message of Mapper::map, steady state, for the payloads the end-to-end suite and
// typical plants send. Instructions per message, which hold still on a busy machine:
//
//   build/bench/mapping/bench_mapping --benchmark_min_time=0.5
//   valgrind --tool=callgrind build/bench/mapping/bench_mapping
//       --benchmark_filter=Json3 --benchmark_min_time=0.05

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "edgegw/mapping.hpp"
#include "mapping/mapper.hpp"

namespace {

using edgegw::MappingConfig;
using edgegw::PayloadFormat;
using edgegw::SensorMapping;
using edgegw::mapping::MapOutcome;
using edgegw::mapping::Mapper;

MappingConfig json_mapping(int sensors) {
  MappingConfig m;
  m.name = "bench";
  m.topic = "plant/{device}/telemetry";
  m.format = PayloadFormat::json;
  m.sequence_field = "seq";
  m.timestamp = edgegw::TimestampMapping{"ts", edgegw::TimestampFormat::milliseconds};
  m.timestamp_bounds = {0, 0, edgegw::BadTimestampPolicy::dead_letter};
  for (int i = 0; i < sensors; ++i) {
    SensorMapping s;
    s.name = "s" + std::to_string(i);
    s.field = "metrics.s" + std::to_string(i);
    s.unit = "u";
    m.sensors.push_back(s);
  }
  return m;
}

// {"seq":N,"ts":MS,"metrics":{"s0":20.51,"s1":1.042,...}}: with 3 sensors the ~80 bytes
// of the end-to-end suite's publisher.
std::string json_payload(int sensors) {
  std::string p = R"({"seq":123456,"ts":1733500000000,"metrics":{)";
  for (int i = 0; i < sensors; ++i) {
    p += (i ? "," : "") + std::string("\"s") + std::to_string(i) +
         "\":" + std::to_string(20.0 + i * 1.25).substr(0, 6);
  }
  return p + "}}";
}

void run_json(benchmark::State& state, int sensors) {
  const std::vector<MappingConfig> mappings{json_mapping(sensors)};
  Mapper mapper(mappings);
  const std::string payload = json_payload(sensors);
  MapOutcome out;
  for (auto _ : state) {
    out.reset();
    mapper.map("plant/pump-0042/telemetry", payload, 1733500000000, out);
    benchmark::DoNotOptimize(out.sample.readings.data());
  }
  if (!out.has_sample || out.sample.readings.size() != static_cast<std::size_t>(sensors)) {
    state.SkipWithError("the payload did not map");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(payload.size()));
}

void BM_MapJson3(benchmark::State& state) {
  run_json(state, 3);
}
BENCHMARK(BM_MapJson3);

void BM_MapJson20(benchmark::State& state) {
  run_json(state, 20);
}
BENCHMARK(BM_MapJson20);

void BM_MapCsv3(benchmark::State& state) {
  MappingConfig m;
  m.name = "bench";
  m.topic = "plant/{device}/csv";
  m.format = PayloadFormat::csv;
  m.csv_columns = {"seq", "ts", "temp", "pressure", "rpm"};
  m.sequence_field = "seq";
  m.timestamp = edgegw::TimestampMapping{"ts", edgegw::TimestampFormat::milliseconds};
  m.timestamp_bounds = {0, 0, edgegw::BadTimestampPolicy::dead_letter};
  for (const char* name : {"temp", "pressure", "rpm"}) {
    SensorMapping s;
    s.name = name;
    s.field = name;
    s.unit = "u";
    m.sensors.push_back(s);
  }
  const std::vector<MappingConfig> mappings{m};
  Mapper mapper(mappings);
  const std::string payload = "123456,1733500000000,20.51,1.042,1499";
  MapOutcome out;
  for (auto _ : state) {
    out.reset();
    mapper.map("plant/pump-0042/csv", payload, 1733500000000, out);
    benchmark::DoNotOptimize(out.sample.readings.data());
  }
  if (!out.has_sample) {
    state.SkipWithError("the payload did not map");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MapCsv3);

}  // namespace

BENCHMARK_MAIN();
