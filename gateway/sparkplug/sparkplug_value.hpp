#pragma once
// A Sparkplug B metric's value as the mapper reads it: a number (integers, floats,
// booleans as 0/1, DateTime as epoch ms), text (String, Text, UUID: a sensor's `values`
// may turn it into a number), null, or something structured the gateway does not read
// (DataSet, Template, Bytes, arrays), named by its type.

#include <cstdint>
#include <string>
#include <string_view>

namespace edgegw::sparkplug {

namespace proto {
class Payload_Metric;
}

struct MetricValue {
  enum class Kind : std::uint8_t { number, text, null, other };
  Kind kind = Kind::null;
  double number = 0.0;
  std::string_view text;       // into the decoded payload
  std::string_view type_name;  // Kind::other: "DataSet", "Bytes", ...
};

// `datatype` is the metric's DataType: its own, or the one its birth certificate declared
// (data messages may leave it out). Unknown (0) reads whichever value field is set.
MetricValue metric_value(const proto::Payload_Metric& metric, std::uint32_t datatype);

}  // namespace edgegw::sparkplug
