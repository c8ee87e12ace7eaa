#include "sparkplug_encoder.hpp"

#include <cmath>

#include "machine_model.hpp"
#include "sparkplug_b.pb.h"

namespace edgegw::sim {
namespace {

using sparkplug::proto::Payload;
using sparkplug::proto::Payload_Metric;

double rounded(double value, int decimals) {
  const double factor = std::pow(10.0, decimals);
  return std::round(value * factor) / factor;
}

void add_bd_seq(Payload& p, std::uint64_t bd_seq) {
  Payload_Metric& m = *p.add_metrics();
  m.set_name("bdSeq");
  m.set_datatype(sparkplug::proto::Int64);
  m.set_long_value(bd_seq);
}

void node_message(std::int64_t ts_ms, std::uint64_t bd_seq, bool birth, std::string& out) {
  Payload p;
  p.set_timestamp(static_cast<std::uint64_t>(ts_ms));
  if (birth) {
    p.set_seq(0);
  }
  add_bd_seq(p, bd_seq);
  p.SerializeToString(&out);
}

}  // namespace

SparkplugEncoder::SparkplugEncoder(DeviceClass device_class)
    : specs_(sensors_of(device_class)), payload_(std::make_unique<Payload>()) {}

SparkplugEncoder::~SparkplugEncoder() = default;
SparkplugEncoder::SparkplugEncoder(SparkplugEncoder&&) noexcept = default;
SparkplugEncoder& SparkplugEncoder::operator=(SparkplugEncoder&&) noexcept = default;

// Sensor i is alias i + 1 and the run state the alias after the last sensor.
void SparkplugEncoder::fill(const TickValues& t, std::uint64_t seq, bool with_names) {
  Payload& p = *payload_;
  p.Clear();
  p.set_timestamp(static_cast<std::uint64_t>(t.ts_ms));
  p.set_seq(seq);
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    Payload_Metric& m = *p.add_metrics();
    if (with_names) {
      m.set_name(std::string(specs_[i].name));
      m.set_datatype(sparkplug::proto::Double);
    }
    m.set_alias(i + 1);
    m.set_double_value(rounded(t.values[i], specs_[i].decimals));
  }
  Payload_Metric& state = *p.add_metrics();
  if (with_names) {
    state.set_name(std::string(kStateMetric));
    state.set_datatype(sparkplug::proto::String);
  }
  state.set_alias(specs_.size() + 1);
  state.set_string_value(std::string(run_state_name(t.state)));
}

void SparkplugEncoder::device_birth(const TickValues& t, std::uint64_t seq, std::string& out) {
  fill(t, seq, true);
  payload_->SerializeToString(&out);
}

void SparkplugEncoder::device_data(const TickValues& t, std::uint64_t seq, std::string& out) {
  fill(t, seq, false);
  payload_->SerializeToString(&out);
}

void SparkplugEncoder::device_death(std::int64_t ts_ms, std::uint64_t seq, std::string& out) {
  Payload& p = *payload_;
  p.Clear();
  p.set_timestamp(static_cast<std::uint64_t>(ts_ms));
  p.set_seq(seq);
  p.SerializeToString(&out);
}

void SparkplugEncoder::node_birth(std::int64_t ts_ms, std::uint64_t bd_seq, std::string& out) {
  node_message(ts_ms, bd_seq, true, out);
}

void SparkplugEncoder::node_death(std::int64_t ts_ms, std::uint64_t bd_seq, std::string& out) {
  node_message(ts_ms, bd_seq, false, out);
}

}  // namespace edgegw::sim
