#include <catch2/catch.hpp>

#include <string>

#include "config/config_node.hpp"
#include "metadata/device_profile.hpp"
#include "metadata/metadata_file.hpp"
#include "metadata/metadata_join.hpp"
#include "support/temp_dir.hpp"

using Catch::Matchers::Contains;
using edgegw::DeviceMetadata;
using edgegw::DeviceMetadataTable;
using edgegw::MetadataConfig;
using edgegw::config::ConfigError;
using edgegw::metadata::parse_metadata_csv;

namespace {

const std::string kCsv =
    "# plant north\n"
    "device,site,line,model,install_date,max_bearing_temp,profile\n"
    "pump-001,north,L1,P-200,2021-03-04,80,pump\n"
    "\n"
    "pump-002, north ,L2,P-250,2023-09-18,,\r\n";

DeviceMetadataTable csv(const std::string& text, const MetadataConfig& config = {}) {
  return parse_metadata_csv(text, "devices.csv", config);
}

DeviceMetadataTable yaml(const std::string& text, const MetadataConfig& config = {}) {
  return edgegw::metadata::parse_metadata_yaml(
      edgegw::config::ConfigNode::load_string(text, "devices.yaml"), config);
}

// The device's value of `column`, "(none)" when it has none or is not listed.
std::string value_of(const DeviceMetadataTable& table, const char* device, const char* column) {
  const DeviceMetadata* m = table.find(device);
  const std::string* text = m != nullptr ? m->value(column) : nullptr;
  return text != nullptr ? *text : "(none)";
}

std::string csv_error(const std::string& text, const MetadataConfig& config = {}) {
  try {
    csv(text, config);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::string yaml_error(const std::string& text, const MetadataConfig& config = {}) {
  try {
    yaml(text, config);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a CSV metadata file gives each device its values, tags and profile",
          "[unit][metadata]") {
  const DeviceMetadataTable table = csv(kCsv);
  REQUIRE(table.size() == 2);
  CHECK(table.columns == std::vector<std::string>{"device", "site", "line", "model", "install_date",
                                                  "max_bearing_temp", "profile"});
  const DeviceMetadata* pump = table.find("pump-001");
  REQUIRE(pump != nullptr);
  CHECK(pump->line == 3);
  CHECK(pump->profile == "pump");
  CHECK(value_of(table, "pump-001", "max_bearing_temp") == "80");
  // Every column but device and profile is a tag, in the file's order.
  CHECK(pump->tags ==
        std::vector<std::pair<std::string, std::string>>{{"site", "north"},
                                                         {"line", "L1"},
                                                         {"model", "P-200"},
                                                         {"install_date", "2021-03-04"},
                                                         {"max_bearing_temp", "80"}});
  // Fields are trimmed (spaces, a CRLF line end); an empty cell is no value.
  const DeviceMetadata* other = table.find("pump-002");
  REQUIRE(other != nullptr);
  CHECK(other->line == 5);
  CHECK(value_of(table, "pump-002", "site") == "north");
  CHECK(value_of(table, "pump-002", "max_bearing_temp") == "(none)");
  CHECK(other->profile.empty());
  CHECK(table.find("pump-999") == nullptr);
}

TEST_CASE("metadata.tags chooses which columns are tags", "[unit][metadata]") {
  MetadataConfig config;
  config.tags = {"site", "line"};
  const DeviceMetadataTable table = csv(kCsv, config);
  const DeviceMetadata* pump = table.find("pump-001");
  REQUIRE(pump != nullptr);
  CHECK(pump->tags ==
        std::vector<std::pair<std::string, std::string>>{{"site", "north"}, {"line", "L1"}});
  // The other columns are still values (a rule may use them).
  CHECK(value_of(table, "pump-001", "model") == "P-200");
  config.tags = {"site", "room"};
  CHECK_THAT(csv_error(kCsv, config), Contains("metadata.tags names 'room'"));
}

TEST_CASE("a malformed CSV metadata file is refused with its file and line", "[unit][metadata]") {
  SECTION("a row with a field too many") {
    CHECK(csv_error("device,site\np1,north\np2,south,extra\n") ==
          "devices.csv:3: expected 2 fields, as the header row, found 3");
  }
  SECTION("a device listed twice") {
    CHECK(csv_error("device,site\np1,north\np2,south\np1,east\n") ==
          "devices.csv:4: device 'p1' is listed twice (first at line 2)");
  }
  SECTION("no device column") {
    CHECK(csv_error("name,site\np1,north\n") ==
          "devices.csv:1: the header row has no 'device' column");
  }
  SECTION("a column named twice") {
    CHECK(csv_error("device,site,site\n") == "devices.csv:1: column 'site' is named twice");
  }
  SECTION("an empty device") {
    CHECK(csv_error("device,site\n,north\n") == "devices.csv:2: the device is empty");
  }
  SECTION("no header row") {
    CHECK_THAT(csv_error("# nothing\n\n"), Contains("devices.csv:1: the file has no header row"));
  }
  SECTION("a value too long to be a tag") {
    CHECK_THAT(csv_error("device,site\np1," + std::string(300, 'x') + "\n"),
               Contains("devices.csv:2: site: the value is longer than 256 bytes"));
  }
}

TEST_CASE("the metadata caps refuse a file with too many devices or columns", "[unit][metadata]") {
  MetadataConfig config;
  config.max_devices = 2;
  config.max_columns = 3;
  CHECK(csv_error("device,a,b\np1,1,2\np2,1,2\n", config) == "no error");
  CHECK(csv_error("device,a,b\np1,1,2\np2,1,2\np3,1,2\n", config) ==
        "devices.csv:4: more than metadata.max_devices (2) devices");
  CHECK(csv_error("device,a,b,c\n", config) ==
        "devices.csv:1: more than metadata.max_columns (3) columns: 'c' is one too many");
  CHECK_THAT(yaml_error("devices:\n  p1: {a: 1, b: 2}\n  p2: {c: 3}\n", config),
             Contains("devices.yaml:3: more than metadata.max_columns (3) columns"));
}

TEST_CASE("a YAML metadata file means what the same CSV means", "[unit][metadata]") {
  const DeviceMetadataTable table = yaml(R"(devices:
  pump-001:
    site: north
    line: L1
    model: P-200
    install_date: 2021-03-04
    max_bearing_temp: 80
    profile: pump
  pump-002: {site: north, line: L2, model: P-250, install_date: 2023-09-18}
)");
  const DeviceMetadataTable same = csv(kCsv);
  REQUIRE(table.size() == 2);
  for (const char* device : {"pump-001", "pump-002"}) {
    const DeviceMetadata* from_yaml = table.find(device);
    const DeviceMetadata* from_csv = same.find(device);
    REQUIRE(from_yaml != nullptr);
    REQUIRE(from_csv != nullptr);
    CHECK(from_yaml->tags == from_csv->tags);
    CHECK(from_yaml->profile == from_csv->profile);
    CHECK(from_yaml->line == (std::string(device) == "pump-001" ? 2 : 9));
  }
}

TEST_CASE("a malformed YAML metadata file is refused with its file and line", "[unit][metadata]") {
  CHECK(yaml_error("devices:\n  p1: {site: north}\n  p1: {site: south}\n") ==
        "devices.yaml:3: device 'p1' is listed twice (first at line 2)");
  CHECK_THAT(yaml_error("devices:\n  p1:\n    site: [north, south]\n"),
             Contains("devices.yaml:3: devices.p1.site"));
  CHECK_THAT(yaml_error("machines:\n  p1: {site: north}\n"),
             Contains("devices.yaml:1: machines: unknown key"));
  CHECK_THAT(yaml_error("devices:\n  p1: {device: p2}\n"),
             Contains("the device is the key of its entry, not a column"));
}

TEST_CASE("a metadata file is read by its name's extension", "[unit][metadata]") {
  const edgegw::test::TempDir dir;
  const auto csv_path = dir.write("devices.csv", kCsv);
  const auto yaml_path = dir.write("devices.yaml", "devices:\n  p1: {site: north}\n");
  CHECK(edgegw::metadata::load_metadata_file(csv_path.string(), {}).size() == 2);
  CHECK(edgegw::metadata::load_metadata_file(yaml_path.string(), {}).find("p1") != nullptr);
  CHECK_THROWS_WITH(edgegw::metadata::load_metadata_file((dir.path() / "missing.csv").string(), {}),
                    Contains("cannot read the metadata file"));
}

TEST_CASE("metadata tags join a sample's tags, and a tag the mapping captured wins",
          "[unit][metadata]") {
  DeviceMetadata m;
  m.tags = {{"site", "north"}, {"line", "L1"}};
  edgegw::Sample sample;
  sample.tags = {{"site", "from-topic"}};
  edgegw::metadata::join_tags(sample, m);
  CHECK(sample.tags ==
        std::vector<std::pair<std::string, std::string>>{{"site", "from-topic"}, {"line", "L1"}});
}

TEST_CASE("a device's profile is its metadata's, else its mapping's", "[unit][metadata]") {
  edgegw::MappingConfig mapping;
  mapping.analytics_profile = "pump";
  DeviceMetadata m;
  CHECK(edgegw::metadata::profile_of(mapping, nullptr) == "pump");
  CHECK(edgegw::metadata::profile_of(mapping, &m) == "pump");
  m.profile = "old_pump";
  CHECK(edgegw::metadata::profile_of(mapping, &m) == "old_pump");
}

TEST_CASE("a metadata number is one whole finite number", "[unit][metadata]") {
  CHECK(edgegw::metadata_number("85") == 85.0);
  CHECK(edgegw::metadata_number("-3.5") == -3.5);
  CHECK(edgegw::metadata_number("1e3") == 1000.0);
  CHECK_FALSE(edgegw::metadata_number("hot"));
  CHECK_FALSE(edgegw::metadata_number("85C"));
  CHECK_FALSE(edgegw::metadata_number(""));
  CHECK_FALSE(edgegw::metadata_number("inf"));
}

TEST_CASE("the example metadata files load and agree", "[unit][metadata]") {
  const std::string dir = std::string(EDGEGW_SOURCE_DIR) + "/config/";
  const DeviceMetadataTable from_csv =
      edgegw::metadata::load_metadata_file(dir + "devices.example.csv", {});
  const DeviceMetadataTable from_yaml =
      edgegw::metadata::load_metadata_file(dir + "devices.example.yaml", {});
  CHECK(from_csv.size() == 5);
  CHECK(from_yaml.size() == 2);
  from_yaml.for_each([&](const std::string& device, const DeviceMetadata& m) {
    const DeviceMetadata* same = from_csv.find(device);
    REQUIRE(same != nullptr);
    CHECK(m.tags == same->tags);
    CHECK(m.profile == same->profile);
  });
}
