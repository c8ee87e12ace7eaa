#include "edgegw/build_info.hpp"

#include <fmt/format.h>

namespace edgegw {

BuildInfo build_info() {
  return {EDGEGW_VERSION, EDGEGW_COMMIT};
}

std::string version_line(std::string_view program) {
  const BuildInfo info = build_info();
  if (info.commit.empty()) {
    return fmt::format("{} {}", program, info.version);
  }
  return fmt::format("{} {} (commit {})", program, info.version, info.commit);
}

}  // namespace edgegw
