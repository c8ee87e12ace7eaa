#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "edgegw/csv.hpp"

using edgegw::split_fields;
using Fields = std::vector<std::string_view>;

TEST_CASE("split_fields cuts at every delimiter and keeps empty fields", "[unit][csv]") {
  CHECK(split_fields("a,b,c") == Fields{"a", "b", "c"});
  CHECK(split_fields("a,,c") == Fields{"a", "", "c"});
  CHECK(split_fields(",a,") == Fields{"", "a", ""});
  CHECK(split_fields("") == Fields{""});
  CHECK(split_fields(",") == Fields{"", ""});
  CHECK(split_fields("no delimiter") == Fields{"no delimiter"});
}

TEST_CASE("split_fields leaves blanks, quotes and line ends to the caller", "[unit][csv]") {
  CHECK(split_fields(" 1, 2 ,3\r") == Fields{" 1", " 2 ", "3\r"});
  // No quoting: a quoted comma splits like any other (no caller's format quotes).
  CHECK(split_fields("\"a,b\",c") == Fields{"\"a", "b\"", "c"});
}

TEST_CASE("split_fields takes any delimiter", "[unit][csv]") {
  CHECK(split_fields("1;2;3", ';') == Fields{"1", "2", "3"});
  CHECK(split_fields("1\t2", '\t') == Fields{"1", "2"});
  CHECK(split_fields("a,b", ';') == Fields{"a,b"});
}

TEST_CASE("split_fields refills a reused vector and views the line", "[unit][csv]") {
  const std::string_view line = "x;y";
  Fields fields{"stale", "entries", "here"};
  split_fields(line, ';', fields);
  REQUIRE(fields == Fields{"x", "y"});
  CHECK(fields[1].data() == line.data() + 2);  // no copies: views into the line
}
