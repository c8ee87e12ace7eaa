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
#include "sparkplug_b.pb.h"

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

// A Sparkplug B device's DDATA with 3 metrics by alias, as edge nodes send data, after
// the births that declared them: protobuf decoding and alias resolution instead of JSON.
std::string sparkplug_payload(bool birth) {
  edgegw::sparkplug::proto::Payload p;
  p.set_timestamp(1733500000000);
  for (std::uint64_t i = 0; i < 3; ++i) {
    auto& m = *p.add_metrics();
    if (birth) {
      m.set_name("s" + std::to_string(i));
      m.set_datatype(edgegw::sparkplug::proto::Double);
    }
    m.set_alias(i + 1);
    m.set_double_value(20.0 + static_cast<double>(i) * 1.25);
  }
  std::string out;
  p.SerializeToString(&out);
  return out;
}

void BM_MapSparkplug3(benchmark::State& state) {
  MappingConfig m;
  m.name = "bench";
  m.topic = "spBv1.0/{group}/#";
  m.format = PayloadFormat::sparkplug;
  m.timestamp_bounds = {0, 0, edgegw::BadTimestampPolicy::dead_letter};
  for (int i = 0; i < 3; ++i) {
    SensorMapping s;
    s.name = "s" + std::to_string(i);
    s.field = s.name;
    s.unit = "u";
    m.sensors.push_back(s);
  }
  const std::vector<MappingConfig> mappings{m};
  Mapper mapper(mappings);
  MapOutcome out;
  mapper.map("spBv1.0/plant/NBIRTH/node1", std::string(), 0, out);  // no node metrics
  mapper.map("spBv1.0/plant/DBIRTH/node1/pump-0042", sparkplug_payload(true), 0, out);
  const std::string payload = sparkplug_payload(false);
  for (auto _ : state) {
    out.reset();
    mapper.map("spBv1.0/plant/DDATA/node1/pump-0042", payload, 1733500000000, out);
    benchmark::DoNotOptimize(out.sample.readings.data());
  }
  if (!out.has_sample || out.sample.readings.size() != 3) {
    state.SkipWithError("the payload did not map");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(payload.size()));
}
BENCHMARK(BM_MapSparkplug3);

}  // namespace

BENCHMARK_MAIN();
