#include "edgegw/csv.hpp"

namespace edgegw {

std::vector<std::string_view> split_fields(std::string_view line, char delimiter) {
  std::vector<std::string_view> fields;
  split_fields(line, delimiter, fields);
  return fields;
}

void split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t cut = line.find(delimiter, start);
    if (cut == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return;
    }
    fields.push_back(line.substr(start, cut - start));
    start = cut + 1;
  }
}

}  // namespace edgegw
