#pragma once
// A fresh temporary directory for one test, removed with everything in it by the
// destructor: the one every test uses (the log's files, model files, fixtures' configs).
// EDGEGW_KEEP_TEST_DIRS=1 keeps it, for a post-mortem of a failing test.

#include <filesystem>
#include <string>

namespace edgegw::test {

class TempDir {
 public:
  // Throws std::runtime_error when the directory cannot be made.
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Writes `text` to the file `name` in the directory and returns its path; throws
  // std::runtime_error when it cannot.
  [[nodiscard]] std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

}  // namespace edgegw::test
