#include <catch2/catch.hpp>

#include "http/listen_address.hpp"

using edgegw::http::parse_listen_address;

TEST_CASE("http.listen takes host:port, IPv6 in brackets, and port 0 for a free one",
          "[unit][http]") {
  const auto v4 = parse_listen_address("127.0.0.1:8787");
  REQUIRE(v4);
  CHECK(v4.value().host == "127.0.0.1");
  CHECK(v4.value().port == 8787);
  const auto v6 = parse_listen_address("[::1]:8787");
  REQUIRE(v6);
  CHECK(v6.value().host == "::1");
  CHECK(v6.value().port == 8787);
  const auto any = parse_listen_address("localhost:0");
  REQUIRE(any);
  CHECK(any.value().port == 0);
  CHECK(parse_listen_address("[::]:65535"));
}

TEST_CASE("http.listen refuses a port bind() would truncate or a stoi would half-read",
          "[unit][http]") {
  for (const char* text :
       {"127.0.0.1:abc", "127.0.0.1:99999", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80x",
        "127.0.0.1: 80", "127.0.0.1:", "127.0.0.1", ":8787", "[]:8787", "::1:8787", "[::1:8787"}) {
    INFO(text);
    const auto address = parse_listen_address(text);
    REQUIRE_FALSE(address);
    CHECK(address.error().code == std::errc::invalid_argument);
  }
}
