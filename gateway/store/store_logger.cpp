#include "store/store_logger.hpp"

#include <memory>

namespace edgegw::store {

spdlog::logger& store_logger() {
  // Created once, on first use, from whatever default logger the daemon set up by then.
  static const std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("store")) {
      return existing;
    }
    return spdlog::default_logger()->clone("store");
  }();
  return *logger;
}

}  // namespace edgegw::store
