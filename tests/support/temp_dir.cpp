#include "support/temp_dir.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace edgegw::test {

TempDir::TempDir() {
  // mkdtemp, not a random name: tests run in parallel and must never share a directory.
  std::string pattern = (std::filesystem::temp_directory_path() / "edgegw-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  // EDGEGW_KEEP_TEST_DIRS=1 keeps logs and buffers of a failing test for a post-mortem.
  if (const char* keep = std::getenv("EDGEGW_KEEP_TEST_DIRS"); keep != nullptr && *keep == '1') {
    std::cerr << "kept test directory " << path_.string() << '\n';
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& text) const {
  const std::filesystem::path path = path_ / name;
  std::ofstream out(path);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
  return path;
}

}  // namespace edgegw::test
