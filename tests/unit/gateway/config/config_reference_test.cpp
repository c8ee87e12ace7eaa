#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "config/config_reference.hpp"

TEST_CASE("docs/configuration.md holds the key tables edgegw config-reference prints",
          "[unit][config]") {
  std::ifstream in(EDGEGW_SOURCE_DIR "/docs/configuration.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string docs = text.str();
  for (std::string_view section : edgegw::config::config_reference_sections()) {
    INFO("section " << section);
    const std::string begin = "<!-- config-reference: " + std::string(section) + " begin -->\n";
    const std::string end = "<!-- config-reference: " + std::string(section) + " end -->";
    const std::size_t from = docs.find(begin);
    const std::size_t to = docs.find(end);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    // On a mismatch: `edgegw config-reference SECTION`, pasted between the two markers.
    CHECK(docs.substr(from + begin.size(), to - from - begin.size()) ==
          edgegw::config::config_reference(section));
  }
}
