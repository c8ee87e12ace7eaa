#include "sparkplug/sparkplug_value.hpp"

#include "sparkplug_b.pb.h"

namespace edgegw::sparkplug {
namespace {

using proto::DataType;
using Metric = proto::Payload_Metric;

MetricValue number(double v) {
  return {MetricValue::Kind::number, v, {}, {}};
}

MetricValue other(std::string_view type_name) {
  MetricValue v;
  v.kind = MetricValue::Kind::other;
  v.type_name = type_name;
  return v;
}

// Signed integers travel as their two's complement in an unsigned field (section 6.4.16).
MetricValue integer(const Metric& m, DataType type) {
  const std::uint32_t u32 = m.int_value();
  const std::uint64_t u64 = m.long_value();
  switch (type) {
    case proto::Int8:
      return number(static_cast<std::int8_t>(u32));
    case proto::Int16:
      return number(static_cast<std::int16_t>(u32));
    case proto::Int32:
      return number(static_cast<std::int32_t>(u32));
    case proto::Int64:
      return number(static_cast<double>(static_cast<std::int64_t>(u64)));
    case proto::UInt64:
    case proto::DateTime:
      return number(static_cast<double>(u64));
    default:  // UInt8, UInt16, UInt32
      return number(u32);
  }
}

// Without a known type: whichever value field the metric carries.
MetricValue by_field(const Metric& m) {
  switch (m.value_case()) {
    case Metric::kIntValue:
      return number(m.int_value());
    case Metric::kLongValue:
      return number(static_cast<double>(m.long_value()));
    case Metric::kFloatValue:
      return number(m.float_value());
    case Metric::kDoubleValue:
      return number(m.double_value());
    case Metric::kBooleanValue:
      return number(m.boolean_value() ? 1.0 : 0.0);
    case Metric::kStringValue:
      return {MetricValue::Kind::text, 0.0, m.string_value(), {}};
    case Metric::VALUE_NOT_SET:
      return {};
    default:
      return other("a structured value");
  }
}

}  // namespace

MetricValue metric_value(const Metric& m, std::uint32_t datatype) {
  if (m.is_null() || m.value_case() == Metric::VALUE_NOT_SET) {
    return {};
  }
  const auto type = static_cast<DataType>(datatype);
  switch (type) {
    case proto::Int8:
    case proto::Int16:
    case proto::Int32:
    case proto::Int64:
    case proto::UInt8:
    case proto::UInt16:
    case proto::UInt32:
    case proto::UInt64:
    case proto::DateTime:
      return integer(m, type);
    case proto::Float:
      return number(m.float_value());
    case proto::Double:
      return number(m.double_value());
    case proto::Boolean:
      return number(m.boolean_value() ? 1.0 : 0.0);
    case proto::String:
    case proto::Text:
    case proto::UUID:
      return {MetricValue::Kind::text, 0.0, m.string_value(), {}};
    case proto::Unknown:
      return by_field(m);
    default:  // DataType_Name's strings are static
      return other(proto::DataType_IsValid(type) ? std::string_view(proto::DataType_Name(type))
                                                 : std::string_view("an unknown type"));
  }
}

}  // namespace edgegw::sparkplug
