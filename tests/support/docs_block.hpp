#pragma once
// The text between two marker lines of a committed doc, for the tests that check a
// generated table (metrics-reference, config-reference) against its copy in docs/.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace edgegw::test {

// The text after the line `begin` (which must end the marker line) and before `end`;
// nullopt when the file or either marker is missing.
std::optional<std::string> docs_block(const std::filesystem::path& doc, std::string_view begin,
                                      std::string_view end);

}  // namespace edgegw::test
