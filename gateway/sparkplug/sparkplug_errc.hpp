#pragma once
// Why a Sparkplug B message could not be read, as an error code (edgegw/errc.hpp).

#include <cstdint>
#include <system_error>

namespace edgegw::sparkplug {

enum class SparkplugErrc : std::uint8_t {
  malformed_topic = 1,  // not spBv1.0/<group>/<type>/<edge node>[/<device>]
  malformed_payload,    // not a Sparkplug B protobuf payload
  no_birth,             // data from an edge node or device whose birth was not seen
  unknown_alias,        // a metric alias its birth certificate did not declare
  too_many,             // beyond the bound on edge nodes or metrics per node
};

const std::error_category& sparkplug_category();

inline std::error_code make_error_code(SparkplugErrc errc) {
  return {static_cast<int>(errc), sparkplug_category()};
}

}  // namespace edgegw::sparkplug

template <>
struct std::is_error_code_enum<edgegw::sparkplug::SparkplugErrc> : std::true_type {};
