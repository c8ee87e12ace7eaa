#pragma once
// One row of a config section's reference table, as docs/configuration.md shows it, and
// the Markdown of a whole table. Option tables describe themselves in these rows.

#include <string>
#include <vector>

namespace edgegw::config {

struct OptionDoc {
  std::string key;           // dotted below the section: "tls.ca_file"
  std::string type;          // "integer", "duration", "one of", ...
  std::string default_text;  // "`30s`", "required", or words for a derived default
  std::string bounds;        // "0, 1 or 2", "`json`, `csv`", or empty
  std::string meaning;       // one line
};

// | key | type | default | bounds | meaning |, one row per doc, ending in a newline.
std::string render_markdown(const std::vector<OptionDoc>& rows);

}  // namespace edgegw::config
