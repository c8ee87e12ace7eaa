#include "metadata/metadata_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace edgegw::metadata {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw config::ConfigError(fmt::format("{}: cannot read the metadata file", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

DeviceMetadataTable load_metadata_file(const std::string& path, const MetadataConfig& config) {
  if (ends_with(path, ".csv")) {
    return parse_metadata_csv(read_text(path), path, config);
  }
  return parse_metadata_yaml(config::ConfigNode::load_file(path), config);
}

}  // namespace edgegw::metadata
