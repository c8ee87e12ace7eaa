#pragma once
// The log's CRC32C is the shared one (include/edgegw/crc32c.hpp, built in common/), so
// that the analytics library can check its checkpoints without depending on the gateway.

#include "edgegw/crc32c.hpp"

namespace edgegw::store {

using edgegw::crc32c;

}  // namespace edgegw::store
