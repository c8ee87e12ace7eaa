#pragma once
// For the corruption tests: where each record sits on disk, and ways to damage files.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace edgegw::store::testing {

struct RecordPlace {
  std::string segment;  // file name
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// Walks the (intact) segment files of a closed log: offset -> where its frame is.
std::map<std::uint64_t, RecordPlace> record_places(const std::filesystem::path& directory);

}  // namespace edgegw::store::testing
