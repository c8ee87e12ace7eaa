#pragma once
// The store's named logger ("store"), sharing the sinks of spdlog's default logger so
// that the daemon's log configuration applies. Lines are sentences with key=value
// fields; nothing per record above debug.

#include <spdlog/spdlog.h>

namespace edgegw::store {

spdlog::logger& store_logger();

}  // namespace edgegw::store
