#pragma once
// The one way a record's JSON document becomes the bytes stored and forwarded. Topic,
// device, tag and sensor names come from devices and may not be valid UTF-8: invalid
// bytes are replaced rather than failing the record.

#include <nlohmann/json.hpp>

#include <string>

namespace edgegw::records {

inline std::string dump_record(const nlohmann::json& doc) {
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace edgegw::records
