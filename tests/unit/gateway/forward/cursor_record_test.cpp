#include <catch2/catch.hpp>

#include <string>

#include "forward/cursor_record.hpp"

using edgegw::forward::choose_start;
using edgegw::forward::CursorRecord;
using edgegw::forward::decode_cursor_record;
using edgegw::forward::encode_cursor_record;
using Source = edgegw::forward::StartPoint::Source;

TEST_CASE("a cursor record reads back as written", "[unit][forward][exactly_once]") {
  const std::string value = encode_cursor_record({12345, "1796641460220-17"});
  std::string why;
  const auto cursor = decode_cursor_record(value, why);
  REQUIRE(cursor);
  CHECK(cursor->next_offset == 12345);
  CHECK(cursor->transaction == "1796641460220-17");
  CHECK(value.find("\"version\":1") != std::string::npos);
}

TEST_CASE("a cursor record the gateway cannot read says why", "[unit][forward][exactly_once]") {
  std::string why;
  CHECK_FALSE(decode_cursor_record("not json", why));
  CHECK(why == "not a JSON object");
  CHECK_FALSE(decode_cursor_record(R"({"next_offset":5})", why));
  CHECK(why == "no integer 'version'");
  CHECK_FALSE(decode_cursor_record(R"({"version":2,"next_offset":5})", why));
  CHECK(why == "version 2 (this gateway reads version 1)");
  CHECK_FALSE(decode_cursor_record(R"({"version":1,"next_offset":-5})", why));
  CHECK(why == "no unsigned integer 'next_offset'");
}

TEST_CASE("the exactly-once forwarder starts from Kafka's cursor unless it cannot",
          "[unit][forward][exactly_once]") {
  // The usual case: Kafka's cursor, ahead of the log's by an interrupted local commit.
  CHECK(choose_start(120, 100, 200).offset == 120);
  CHECK(choose_start(120, 100, 200).source == Source::kafka);
  CHECK(choose_start(100, 100, 200).source == Source::kafka);
  // No cursor in Kafka: the first start in this mode.
  CHECK(choose_start(std::nullopt, 100, 200).offset == 100);
  CHECK(choose_start(std::nullopt, 100, 200).source == Source::local);
  // Sent at least once since: the log's cursor is ahead.
  CHECK(choose_start(80, 100, 200).offset == 100);
  CHECK(choose_start(80, 100, 200).source == Source::local_ahead);
  // A new buffer directory: Kafka's cursor is beyond the log's end.
  CHECK(choose_start(500, 0, 200).offset == 0);
  CHECK(choose_start(500, 0, 200).source == Source::log_replaced);
}
