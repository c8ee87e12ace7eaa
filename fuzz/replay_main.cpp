// Replays files (or every file in directories) through a fuzz target's entry point, as
// libFuzzer would run one input: what the ctest entries use to check the seed corpora and
// the regression inputs in every build, without libFuzzer or clang.
//
//   fuzz_replay_mapper fuzz/corpus/mapper fuzz/regressions/mapper

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

std::vector<std::filesystem::path> inputs_in(const std::filesystem::path& where) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(where)) {
    for (const auto& entry : std::filesystem::directory_iterator(where)) {
      // README and .gitkeep files explain a directory; they are not inputs.
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && name.front() != '.' && name != "README.md") {
        files.push_back(entry.path());
      }
    }
  } else {
    files.push_back(where);
  }
  std::sort(files.begin(), files.end());  // the same order on every run
  return files;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::filesystem::exists(argv[i])) {
      std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
      return 2;
    }
    for (const auto& file : inputs_in(argv[i])) {
      // Named first, so that the input that crashes is the last one printed.
      std::fprintf(stderr, "replaying %s\n", file.string().c_str());
      const std::string bytes = read_bytes(file);
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  std::printf("replayed %zu inputs\n", replayed);
  return replayed > 0 ? 0 : 1;
}
