#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "config/config_reference.hpp"
#include "support/docs_block.hpp"

TEST_CASE("docs/configuration.md holds the key tables edgegw config-reference prints",
          "[unit][config]") {
  for (std::string_view section : edgegw::config::config_reference_sections()) {
    INFO("section " << section);
    const std::optional<std::string> block =
        edgegw::test::docs_block(EDGEGW_SOURCE_DIR "/docs/configuration.md",
                                 "<!-- config-reference: " + std::string(section) + " begin -->\n",
                                 "<!-- config-reference: " + std::string(section) + " end -->");
    REQUIRE(block);
    // On a mismatch: `edgegw config-reference SECTION`, pasted between the two markers.
    CHECK(*block == edgegw::config::config_reference(section));
  }
}
