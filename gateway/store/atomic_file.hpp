#pragma once
// Whole small files replaced atomically: the new content goes to `<name>.tmp`, is
// fsynced, renamed over `<name>` and the directory fsynced, so that after a crash the
// file is either the old one or the new one, whole. For state the gateway saves now and
// then (the analytics checkpoint); the log has its own formats. Neither function follows
// a symbolic link: a link planted as the temp file is removed, rename() replaces a link
// at `<name>` itself, and reading one is unsafe_file (file_system.hpp).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "edgegw/result.hpp"
#include "store/file_system.hpp"

namespace edgegw::store {

Status write_file_atomically(FileSystem& fs, const std::filesystem::path& path,
                             std::string_view bytes);

// The whole file. Errors: "not_found" when it does not exist, "too_large" when it holds
// more than max_bytes (nothing is read then), else "io_error".
Result<std::string> read_whole_file(FileSystem& fs, const std::filesystem::path& path,
                                    std::uint64_t max_bytes);

}  // namespace edgegw::store
