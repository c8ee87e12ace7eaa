#pragma once
// Which analytics profile (and maintenance device class) a device's samples go to: the
// `profile` of its metadata, else its mapping's `analytics_profile`. The metadata is
// about the one device, the mapping about every device on its topics, so the more
// specific wins.

#include <string_view>

#include "edgegw/device_metadata.hpp"
#include "edgegw/mapping.hpp"

namespace edgegw::metadata {

inline std::string_view profile_of(const MappingConfig& mapping, const DeviceMetadata* metadata) {
  if (metadata != nullptr && !metadata->profile.empty()) {
    return metadata->profile;
  }
  return mapping.analytics_profile;
}

}  // namespace edgegw::metadata
