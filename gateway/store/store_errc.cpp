#include "edgegw/store_errc.hpp"

#include "edgegw/errc.hpp"

namespace edgegw::store {

const std::error_category& store_category() {
  static const NamedErrorCategory<8> category(
      "store", {"io_error", "no_space", "log_full", "record_too_large", "bad_offset",
                "segment_gone", "not_found", "too_large"});
  return category;
}

}  // namespace edgegw::store
