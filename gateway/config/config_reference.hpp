#pragma once
// The reference tables of docs/configuration.md, one per section, from the sections'
// option tables: what `edgegw config-reference` prints, and what a unit test compares
// with the docs so that they never drift from the code.

#include <string>
#include <string_view>
#include <vector>

namespace edgegw::config {

// The tables' names ("mqtt", "mappings.sensors", ...), in the order of the docs.
std::vector<std::string_view> config_reference_sections();

// The Markdown table of one of them; an unknown name throws std::out_of_range.
std::string config_reference(std::string_view section);

// Every table, each between the markers that hold it in docs/configuration.md:
// <!-- config-reference: mqtt begin --> ... <!-- config-reference: mqtt end -->.
std::string config_reference_with_markers();

}  // namespace edgegw::config
