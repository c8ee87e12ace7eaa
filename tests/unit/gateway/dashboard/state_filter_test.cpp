// /api/state's query string.

#include <catch2/catch.hpp>

#include "dashboard/state_filter.hpp"

using edgegw::dashboard::parse_state_filter;
using edgegw::dashboard::StateFilter;

TEST_CASE("a filter query is parsed, percent-decoded", "[unit][dashboard]") {
  const auto filter = parse_state_filter(
      "gateway=edge%2D01&site=north+hall&class=pump&device=p-1&severity=warning");
  REQUIRE(filter);
  CHECK(filter.value().gateway == "edge-01");
  CHECK(filter.value().site == "north hall");
  CHECK(filter.value().device_class == "pump");
  CHECK(filter.value().device == "p-1");
  CHECK(filter.value().min_severity == "warning");
  CHECK(parse_state_filter(""));
  CHECK(parse_state_filter("&&gateway="));
}

TEST_CASE("a bad filter query is refused, naming what is wrong", "[unit][dashboard]") {
  auto error = [](std::string_view query) {
    const auto filter = parse_state_filter(query);
    REQUIRE_FALSE(filter);
    return filter.error().message;
  };
  CHECK(error("colour=red") ==
        "unknown filter 'colour': use gateway, site, class, device or severity");
  CHECK(error("severity=fatal") == "unknown severity 'fatal': use info, warning or critical");
  CHECK(error("device=%zz") == "a bad %-escape in the query");
  CHECK(error("device=%4") == "a bad %-escape in the query");
}

TEST_CASE("severity filters are a minimum", "[unit][dashboard]") {
  StateFilter warning;
  warning.min_severity = "warning";
  CHECK(warning.matches("g", "s", "c", "d", "critical"));
  CHECK(warning.matches("g", "s", "c", "d", "warning"));
  CHECK_FALSE(warning.matches("g", "s", "c", "d", "info"));
  CHECK_FALSE(warning.matches("g", "s", "c", "d", "ok"));
}
