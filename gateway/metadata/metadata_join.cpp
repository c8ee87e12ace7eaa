#include "metadata/metadata_join.hpp"

#include <algorithm>

namespace edgegw::metadata {

void join_tags(Sample& sample, const DeviceMetadata& metadata) {
  const std::size_t captured = sample.tags.size();
  for (const auto& [name, value] : metadata.tags) {
    const auto end = sample.tags.begin() + static_cast<std::ptrdiff_t>(captured);
    const bool has_it =
        std::any_of(sample.tags.begin(), end, [&](const auto& tag) { return tag.first == name; });
    if (!has_it) {
      sample.tags.emplace_back(name, value);
    }
  }
}

}  // namespace edgegw::metadata
