#include "sparkplug/sparkplug_errc.hpp"

#include "edgegw/errc.hpp"

namespace edgegw::sparkplug {

const std::error_category& sparkplug_category() {
  static const NamedErrorCategory<5> kCategory(
      "sparkplug",
      {"malformed_topic", "malformed_payload", "no_birth", "unknown_alias", "too_many"});
  return kCategory;
}

}  // namespace edgegw::sparkplug
