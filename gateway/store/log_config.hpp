#pragma once
// Validation of edgegw::store::LogConfig (declared in edgegw/log.hpp), run by open().

#include "edgegw/log.hpp"

namespace edgegw::store {

// Throws std::runtime_error naming the key when a LogConfig value cannot work.
void validate_log_config(const LogConfig& config);

}  // namespace edgegw::store
