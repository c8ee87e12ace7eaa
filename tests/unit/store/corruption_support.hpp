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

// `bytes` bytes of near-valid frames, the worst case for resynchronising: a plausible
// header carrying `offset` every 28 bytes, each claiming a frame that runs to the end of
// the bytes, with a wrong CRC, so that every header costs a read and a CRC of the rest.
std::string crafted_frames(std::uint64_t offset, std::size_t bytes);

}  // namespace edgegw::store::testing
