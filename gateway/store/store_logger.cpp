#include "store/store_logger.hpp"

#include <memory>

namespace edgegw::store {

spdlog::logger& store_logger() {
  // Created once, on first use, from whatever default logger the daemon set up by then.
  static const std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("store")) {
      return existing;
    }
    auto created = spdlog::default_logger()->clone("store");
    spdlog::register_logger(created);  // so that spdlog::set_level() and friends reach it
    return created;
  }();
  return *logger;
}

}  // namespace edgegw::store
