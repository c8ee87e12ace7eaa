#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "edgegw/time_format.hpp"
#include "mapping/timestamp_parser.hpp"
#include "records/dead_letter_record.hpp"
#include "records/record_key.hpp"
#include "records/telemetry_record.hpp"

using nlohmann::json;

TEST_CASE("a telemetry record carries identity, time, tags and readings with units",
          "[unit][records]") {
  edgegw::Sample s;
  s.device = "pump-1";
  s.timestamp_ms = 1700000000123;
  s.tags = {{"site", "north"}};
  s.sequence = 9;
  s.readings = {{"flow", 12.5, "m3/h"}, {"count", 3, ""}};
  const json doc =
      json::parse(edgegw::records::encode_telemetry(s, "gw-1", "pumps", 1700000000200));
  CHECK(doc["schema"] == "edgegw.telemetry/v1");
  CHECK(doc["gateway"] == "gw-1");
  CHECK(doc["device"] == "pump-1");
  CHECK(doc["ts"] == 1700000000123);
  CHECK(doc["time"] == "2023-11-14T22:13:20.123Z");
  CHECK(doc["received"] == 1700000000200);
  CHECK(doc["seq"] == 9);
  CHECK(doc["tags"]["site"] == "north");
  CHECK(doc["readings"]["flow"]["value"] == 12.5);
  CHECK(doc["readings"]["flow"]["unit"] == "m3/h");
  CHECK_FALSE(doc["readings"]["count"].contains("unit"));
}

TEST_CASE("dead letters keep the payload as text or base64, and the reasons", "[unit][records]") {
  edgegw::mapping::MapOutcome outcome;
  outcome.problems = {
      {edgegw::mapping::DeadLetterReason::decode_error, "payload is not valid JSON"}};
  SECTION("text payload") {
    const json doc =
        json::parse(edgegw::records::encode_dead_letter(outcome, "a/b", "{oops", "gw", 5));
    CHECK(doc["reason"] == "decode_error");
    CHECK(doc["problems"][0]["detail"] == "payload is not valid JSON");
    CHECK(doc["topic"] == "a/b");
    CHECK(doc["payload"] == "{oops");
    CHECK_FALSE(doc.contains("payload_base64"));
  }
  SECTION("binary payload") {
    const std::string binary("\xff\x00\x01", 3);
    const json doc =
        json::parse(edgegw::records::encode_dead_letter(outcome, "a/b", binary, "gw", 5));
    CHECK(doc["payload_base64"] == "/wAB");
    CHECK(doc["payload_bytes"] == 3);
  }
  SECTION("oversized payload is cut and flagged") {
    const std::string big(200 * 1024, 'x');
    const json doc = json::parse(edgegw::records::encode_dead_letter(outcome, "a/b", big, "gw", 5));
    CHECK(doc["payload_truncated"] == true);
    CHECK(doc["payload"].get<std::string>().size() == edgegw::records::kMaxDeadLetterPayload);
    CHECK(doc["payload_bytes"] == big.size());
  }
  SECTION("control bytes go as base64: escaped they would grow sixfold") {
    const std::string controls(60'000, '\x01');
    const std::string record =
        edgegw::records::encode_dead_letter(outcome, "a/b", controls, "gw", 5);
    CHECK(record.size() < controls.size() * 4 / 3 + 1024);
    const json doc = json::parse(record);
    CHECK(doc["payload_base64"].get<std::string>().size() == 80'000);
    CHECK_FALSE(doc.contains("payload"));
  }
  SECTION("text with a few escapes stays text") {
    const std::string text = "line one\nline \"two\"\t";
    const json doc =
        json::parse(edgegw::records::encode_dead_letter(outcome, "a/b", text, "gw", 5));
    CHECK(doc["payload"] == text);
  }
}

TEST_CASE("record keys follow the key template", "[unit][records]") {
  edgegw::Sample s;
  s.device = "d1";
  s.tags = {{"site", "north"}};
  CHECK(edgegw::records::RecordKey::parse("{device}").value().render(s) == "d1");
  CHECK(edgegw::records::RecordKey::parse("{site}/{device}").value().render(s) == "north/d1");
  CHECK(edgegw::records::RecordKey::parse("fixed").value().render(s) == "fixed");
  CHECK_FALSE(edgegw::records::RecordKey::parse("{device").ok());
}

TEST_CASE("time formatting and parsing agree", "[unit][records]") {
  using edgegw::iso8601_utc;
  CHECK(iso8601_utc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(iso8601_utc(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(iso8601_utc(951782400000) == "2000-02-29T00:00:00.000Z");
  for (std::int64_t ms : {0LL, 1700000000123LL, 951782400000LL, 4102444800000LL}) {
    CHECK(edgegw::parse_iso8601_ms(iso8601_utc(ms)).value() == ms);
  }
  CHECK(edgegw::parse_iso8601_ms("2024-05-01 12:00:00").value() == 1714564800000);
  CHECK_FALSE(edgegw::parse_iso8601_ms("2024-13-01T00:00:00Z").ok());
  CHECK_FALSE(edgegw::parse_iso8601_ms("2024-05-01T12:00:00Zjunk").ok());
  CHECK_FALSE(
      edgegw::mapping::epoch_ms_from_number(1e18, edgegw::TimestampFormat::milliseconds).ok());
}
