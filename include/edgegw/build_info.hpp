#pragma once
// Which edgegw this is: the release version and the commit it was built from, for
// `--version`, `edgegw version` and the edgegw_build_info metric.

#include <string>
#include <string_view>

namespace edgegw {

struct BuildInfo {
  std::string_view version;  // the project's version, e.g. "0.1.0"
  std::string_view commit;   // short commit id; empty outside a git checkout
};

[[nodiscard]] BuildInfo build_info();

// "edgegw 0.1.0 (commit 1a2b3c4d5e6f)", with the program's name first.
[[nodiscard]] std::string version_line(std::string_view program);

}  // namespace edgegw
