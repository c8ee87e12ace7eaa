#pragma once
// Sparkplug B payloads for tests, built with the schema's generated classes: a metric by
// name and type (births), by alias alone (data), and the bdSeq a birth and death carry.

#include <cstdint>
#include <string>
#include <vector>

#include "sparkplug_b.pb.h"

namespace edgegw::test {

using SparkplugPayload = edgegw::sparkplug::proto::Payload;
using SparkplugMetric = edgegw::sparkplug::proto::Payload_Metric;

inline SparkplugMetric& add_double(SparkplugPayload& p, const std::string& name,
                                   std::uint64_t alias, double value) {
  SparkplugMetric& m = *p.add_metrics();
  if (!name.empty()) {
    m.set_name(name);
    m.set_datatype(edgegw::sparkplug::proto::Double);
  }
  m.set_alias(alias);
  m.set_double_value(value);
  return m;
}

inline void add_bd_seq(SparkplugPayload& p, std::uint64_t bd_seq) {
  SparkplugMetric& m = *p.add_metrics();
  m.set_name("bdSeq");
  m.set_datatype(edgegw::sparkplug::proto::Int64);
  m.set_long_value(bd_seq);
}

inline std::string serialized(const SparkplugPayload& p) {
  std::string out;
  p.SerializeToString(&out);
  return out;
}

}  // namespace edgegw::test
