#include "edgegw/store_errc.hpp"

#include "edgegw/errc.hpp"

namespace edgegw::store {

const std::error_category& store_category() {
  static const NamedErrorCategory<11> kCategory(
      "store",
      {"io_error", "no_space", "log_full", "record_too_large", "bad_offset", "segment_gone",
       "not_found", "too_large", "unsafe_file", "unsafe_directory", "locked"});
  return kCategory;
}

}  // namespace edgegw::store
