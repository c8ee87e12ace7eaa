#include "mapping/mapping_errc.hpp"

#include "edgegw/errc.hpp"

namespace edgegw::mapping {

const std::error_category& mapping_category() {
  static const NamedErrorCategory<5> kCategory(
      "mapping", {"bad_template", "bad_field", "bad_field_path", "bad_timestamp", "decode_error"});
  return kCategory;
}

}  // namespace edgegw::mapping
