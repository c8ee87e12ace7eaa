#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "payload_encoder.hpp"

using namespace edgegw::sim;

namespace {

const std::vector<double> kPumpValues{40.0, 3.5, 12.25, 45.5, 2.0, 7.0};
const std::vector<double> kMotorValues{30.0, 400.0, 1400.0, 60.0, 2.5};

std::string json_with(const Corruption* c) {
  const PayloadEncoder enc(DeviceClass::pump);
  Rng rng(1);
  std::string out;
  enc.encode_json(TickValues{17, 1700000000123, RunState::running, kPumpValues}, c, rng, out);
  return out;
}

std::string csv_with(const Corruption* c) {
  const PayloadEncoder enc(DeviceClass::motor);
  Rng rng(1);
  std::string out;
  enc.encode_csv(TickValues{5, 1700000000000, RunState::fault, kMotorValues}, c, rng, out);
  return out;
}

}  // namespace

TEST_CASE("clean payloads are exact", "[unit]") {
  CHECK(json_with(nullptr) ==
        R"({"seq":17,"ts":1700000000123,"state":"running","metrics":{"flow":{"value":40.00,)"
        R"("unit":"m3/h"},"pressure":3.500,"current":12.25,"bearing_temp":{"value":45.50,)"
        R"("unit":"degC"},"vibration":2.000,"power":7.00},"fault":null})");
  CHECK(csv_with(nullptr) == "5,1700000000000,30.00,400.0,1400.0,60.00,2.500,2");
  const PayloadEncoder enc(DeviceClass::compressor);
  std::string out;
  enc.encode_bare(8.1234, 0, nullptr, out);
  CHECK(out == "8.123");
}

TEST_CASE("each bad payload kind is bad in its documented way", "[unit]") {
  SECTION("JSON") {
    Corruption c{BadPayloadKind::malformed, 1, 0};
    CHECK(nlohmann::json::parse(json_with(&c), nullptr, false).is_discarded());
    c.kind = BadPayloadKind::wrong_type;
    auto j = nlohmann::json::parse(json_with(&c));
    CHECK(j["metrics"]["pressure"].is_string());
    c.kind = BadPayloadKind::out_of_range;
    c.sensor = 0;
    j = nlohmann::json::parse(json_with(&c));
    const double flow = j["metrics"]["flow"]["value"];
    CHECK((flow > 150.0 || flow < 0.0));
    c.kind = BadPayloadKind::oversized;
    c.oversized_bytes = 100000;
    const auto big = json_with(&c);
    CHECK(big.size() == 100000);
    CHECK(nlohmann::json::parse(big)["seq"] == 17);  // valid, only too large
  }
  SECTION("CSV") {
    Corruption c{BadPayloadKind::malformed, 1, 0};
    const std::string short_row = csv_with(&c);
    CHECK(std::count(short_row.begin(), short_row.end(), ',') == 4);
    c.kind = BadPayloadKind::wrong_type;
    CHECK(csv_with(&c) == "5,1700000000000,30.00,ERR,1400.0,60.00,2.500,2");
    c.kind = BadPayloadKind::oversized;
    c.oversized_bytes = 5000;
    CHECK(csv_with(&c).size() == 5000);
  }
  SECTION("bare") {
    const PayloadEncoder enc(DeviceClass::compressor);
    std::string out;
    Corruption c{BadPayloadKind::malformed, 0, 0};
    enc.encode_bare(8.5, 0, &c, out);
    CHECK(out == "8.500.7");
    c.kind = BadPayloadKind::wrong_type;
    enc.encode_bare(8.5, 0, &c, out);
    CHECK(out == "true");
    c.kind = BadPayloadKind::out_of_range;
    enc.encode_bare(8.5, 0, &c, out);
    CHECK(std::stod(out) > 16.0);
  }
}
