// Server-sent event framing and the bound on what one client may lag behind.

#include <catch2/catch.hpp>

#include <string>

#include "dashboard/event_stream.hpp"

using edgegw::dashboard::frame_event;
using edgegw::dashboard::StreamBacklog;

TEST_CASE("an event is framed with one data line per line", "[unit][dashboard]") {
  CHECK(frame_event("alert", R"({"a":1})") == "event: alert\ndata: {\"a\":1}\n\n");
  CHECK(frame_event("x", "one\ntwo") == "event: x\ndata: one\ndata: two\n\n");
  CHECK(frame_event("x", "") == "event: x\ndata: \n\n");
}

TEST_CASE("a stream backlog refuses what would exceed its bound", "[unit][dashboard]") {
  StreamBacklog backlog(10);
  CHECK(backlog.push("12345678"));
  CHECK_FALSE(backlog.push("123"));  // 11 unsent: the server drops this client
  backlog.consume(5);
  CHECK(backlog.unsent() == "678");
  CHECK(backlog.push("abcdefg"));
  CHECK(backlog.size() == 10);
  backlog.consume(10);
  CHECK(backlog.empty());
  CHECK(backlog.push("0123456789"));
}
