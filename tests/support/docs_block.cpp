#include "support/docs_block.hpp"

#include <system_error>

#include "support/child_process.hpp"

namespace edgegw::test {

std::optional<std::string> docs_block(const std::filesystem::path& doc, std::string_view begin,
                                      std::string_view end) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(doc, error)) {
    return std::nullopt;
  }
  const std::string text = read_file(doc);
  const std::size_t from = text.find(begin);
  const std::size_t to = text.find(end);
  if (from == std::string::npos || to == std::string::npos || to < from + begin.size()) {
    return std::nullopt;
  }
  return text.substr(from + begin.size(), to - from - begin.size());
}

}  // namespace edgegw::test
