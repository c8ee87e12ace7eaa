#include "metadata/metadata_join.hpp"

#include <algorithm>

namespace edgegw::metadata {

void join_tags(Sample& sample, const DeviceMetadata& metadata) {
  const std::size_t captured = sample.tags.size();
  for (const auto& tag_of_device : metadata.tags) {
    const std::string& name = tag_of_device.first;
    const auto end = sample.tags.begin() + static_cast<std::ptrdiff_t>(captured);
    const bool has_it =
        std::any_of(sample.tags.begin(), end, [&](const auto& tag) { return tag.first == name; });
    if (!has_it) {
      sample.tags.push_back(tag_of_device);
    }
  }
}

}  // namespace edgegw::metadata
