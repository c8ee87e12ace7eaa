#include "config/option_doc.hpp"

#include <fmt/format.h>

namespace edgegw::config {

std::string render_markdown(const std::vector<OptionDoc>& rows) {
  std::string out = "| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n";
  for (const OptionDoc& row : rows) {
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", row.key, row.type, row.default_text,
                       row.bounds, row.meaning);
  }
  return out;
}

}  // namespace edgegw::config
