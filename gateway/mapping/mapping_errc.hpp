#pragma once
// Why a mapping could not be compiled, or a payload or a timestamp could not be read.

#include <system_error>

namespace edgegw::mapping {

enum class MappingErrc {
  bad_template = 1,  // a topic template
  bad_field,         // a field that the payload format cannot have (a csv column)
  bad_field_path,    // a JSON field path
  bad_timestamp,     // a timestamp that cannot be read
  decode_error,      // a payload that is not the mapping's format
};

const std::error_category& mapping_category();

inline std::error_code make_error_code(MappingErrc errc) {
  return {static_cast<int>(errc), mapping_category()};
}

}  // namespace edgegw::mapping

template <>
struct std::is_error_code_enum<edgegw::mapping::MappingErrc> : std::true_type {};
