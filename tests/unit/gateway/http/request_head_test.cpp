// The ops endpoint's request parser: what it serves, and every limit, without a socket.

#include <catch2/catch.hpp>

#include <string>

#include "http/request_head.hpp"

using edgegw::http::HeadLimits;
using edgegw::http::Method;
using edgegw::http::parse_request_head;
using edgegw::http::ParsedHead;
using edgegw::http::Refusal;
using State = ParsedHead::State;

namespace {

Refusal refusal_of(const std::string& received) {
  const ParsedHead parsed = parse_request_head(received);
  REQUIRE(parsed.state == State::refused);
  return parsed.refusal;
}

}  // namespace

TEST_CASE("a GET or HEAD head parses, with its path, keep-alive and authorization",
          "[unit][http]") {
  const std::string request =
      "GET /metrics?x=1 HTTP/1.1\r\nHost: gw\r\nAuthorization:  Bearer abc \r\n\r\nGET /";
  const ParsedHead parsed = parse_request_head(request);
  REQUIRE(parsed.state == State::complete);
  CHECK(parsed.head.method == Method::get);
  CHECK(parsed.head.path == "/metrics");
  CHECK(parsed.head.keep_alive);
  CHECK(parsed.head.authorization == "Bearer abc");
  CHECK(parsed.head_bytes == request.size() - 5);  // a pipelined request follows

  const ParsedHead head = parse_request_head("HEAD / HTTP/1.0\nConnection: Keep-Alive\n\n");
  REQUIRE(head.state == State::complete);
  CHECK(head.head.method == Method::head);
  CHECK_FALSE(head.head.keep_alive);  // HTTP/1.0: one request per connection
  CHECK_FALSE(
      parse_request_head("GET / HTTP/1.1\r\nConnection: te, close\r\n\r\n").head.keep_alive);
  CHECK(parse_request_head("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").state == State::complete);
}

TEST_CASE("a head still arriving is incomplete until its blank line", "[unit][http]") {
  CHECK(parse_request_head("").state == State::incomplete);
  CHECK(parse_request_head("GET /hea").state == State::incomplete);
  CHECK(parse_request_head("GET /healthz HTTP/1.1\r\nHost: x\r\n").state == State::incomplete);
  CHECK(parse_request_head("GET /healthz HTTP/1.1\r\nHost: x\r\n\r").state == State::incomplete);
}

TEST_CASE("a request with a body is refused with 413 whatever its method", "[unit][http]") {
  CHECK(refusal_of("POST / HTTP/1.1\r\nContent-Length: 419430400\r\n\r\n") == Refusal::body);
  CHECK(refusal_of("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n") == Refusal::body);
  CHECK(refusal_of("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == Refusal::body);
}

TEST_CASE("methods other than GET, HEAD and POST are refused with 405", "[unit][http]") {
  for (const char* method : {"PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "get", "post"}) {
    INFO(method);
    CHECK(refusal_of(std::string(method) + " / HTTP/1.1\r\n\r\n") == Refusal::method_not_allowed);
  }
}

TEST_CASE("a long request line is refused with 414, a large head with 431, before it ends",
          "[unit][http]") {
  const HeadLimits limits;
  const std::string long_path(limits.max_request_line, 'a');
  CHECK(refusal_of("GET /" + long_path) == Refusal::uri_too_long);  // no line end yet
  CHECK(refusal_of("GET /" + long_path + " HTTP/1.1\r\n\r\n") == Refusal::uri_too_long);
  CHECK(parse_request_head("GET /" + std::string(limits.max_request_line - 20, 'a') +
                           " HTTP/1.1\r\n\r\n")
            .state == State::complete);

  std::string head = "GET / HTTP/1.1\r\n";
  while (head.size() <= limits.max_head_bytes) {
    head += "X-Filler: " + std::string(100, 'x') + "\r\n";
  }
  CHECK(refusal_of(head) == Refusal::header_too_large);  // still no blank line
  CHECK(refusal_of(head + "\r\n") == Refusal::header_too_large);
}

TEST_CASE("malformed heads are refused with 400", "[unit][http]") {
  for (const char* text :
       {"\r\n\r\n", "GET\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n",
        "GET http://example.com/ HTTP/1.1\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 x\r\n\r\n", "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET / HTTP/1.1\r\nName : value\r\n\r\n", "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
        "GET /\x01 HTTP/1.1\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"}) {
    INFO(text);
    CHECK(refusal_of(text) == Refusal::bad_request);
  }
}

TEST_CASE("a POST without a body parses: which paths take it is the server's business",
          "[unit][http]") {
  const ParsedHead bare = parse_request_head("POST /-/reload HTTP/1.1\r\nHost: gw\r\n\r\n");
  REQUIRE(bare.state == State::complete);
  CHECK(bare.head.method == Method::post);
  CHECK(bare.head.path == "/-/reload");
  const ParsedHead empty =
      parse_request_head("POST /-/reload HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  REQUIRE(empty.state == State::complete);
  CHECK(empty.head.method == Method::post);
  CHECK(refusal_of("POST /-/reload HTTP/1.1\r\nContent-Length: 1\r\n\r\nx") == Refusal::body);
}
