#include <catch2/catch.hpp>

#include <string>

#include "edgegw/base64.hpp"

using edgegw::base64_decode;
using edgegw::base64_encode;

TEST_CASE("base64 encodes the RFC 4648 vectors and decodes them back", "[unit][base64]") {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    CHECK(base64_encode(bytes) == text);
    CHECK(base64_decode(text) == bytes);
    CHECK(edgegw::base64_size(bytes.size()) == text.size());
  }
}

TEST_CASE("base64 round-trips every byte value", "[unit][base64]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
  }
}

TEST_CASE("base64 decoding takes canonical text only", "[unit][base64]") {
  for (const char* text :
       {"Zg=", "Zm9v\n", " Zm9v", "Zm9v ", "Zm 9", "Zm9*", "Z===", "Zg==Zg==", "=Zm9", "Zh=="}) {
    INFO(text);
    CHECK_FALSE(base64_decode(text).has_value());
  }
}
