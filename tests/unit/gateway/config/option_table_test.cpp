#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/option_table.hpp"
#include "edgegw/config_error.hpp"

using namespace edgegw::config;

namespace {

enum class Mode { fast, safe };

// A section with one key of each kind, its defaults in its member initialisers.
struct Sample {
  std::string name;
  bool enabled = true;
  int level = 1;
  std::uint32_t count = 5;
  double ratio = 0.5;
  std::optional<double> limit;
  std::chrono::seconds timeout{30};
  std::int64_t interval_ms = 0;
  std::uint64_t buffer = 1U << 20U;
  Mode mode = Mode::safe;
  std::vector<std::string> tags;
};

const OptionTable<Sample>& sample_options() {
  static const OptionTable<Sample> table = {
      text<Sample>("name", &Sample::name, "Its name.", EmptyValue::refused).required(),
      flag<Sample>("enabled", &Sample::enabled, "On or off."),
      integer<Sample>("level", &Sample::level, between(0, 2), "A level."),
      integer<Sample>("count", &Sample::count, {}, "A count."),
      number<Sample>("ratio", &Sample::ratio, strictly_between(0, 1), "A ratio."),
      number<Sample>("limit", &Sample::limit, above(0), "An optional limit."),
      duration<Sample>("timeout", &Sample::timeout, at_least(1000), "A timeout."),
      duration<Sample>("interval", &Sample::interval_ms, {}, "An interval.", NoneValue::allowed),
      byte_size<Sample>("buffer", &Sample::buffer, between(4096, 1U << 30U), "A buffer."),
      choice<Sample>("mode", &Sample::mode, {{"fast", Mode::fast}, {"safe", Mode::safe}},
                     "A mode."),
      list<Sample>("tags", &Sample::tags, "Some tags."),
      declared<Sample>("nested", "map", "Read by the section's code."),
  };
  return table;
}

Sample read(const std::string& yaml) {
  Sample sample;
  read_options(ConfigNode::load_string(yaml, "t.yaml").child("s"), sample_options(), sample);
  return sample;
}

std::string error_of(const std::string& yaml) {
  try {
    (void)read(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an option table fills what is given and keeps the defaults", "[unit][config]") {
  const Sample s = read(
      "s:\n  name: a\n  level: 2\n  limit: 3.5\n  timeout: 2m\n  interval: none\n"
      "  buffer: 64KiB\n  mode: fast\n  tags: [x, y]\n  nested: {anything: 1}\n");
  CHECK(s.name == "a");
  CHECK(s.enabled);  // a default
  CHECK(s.level == 2);
  CHECK(s.count == 5);
  CHECK(s.limit == 3.5);
  CHECK(s.timeout == std::chrono::minutes(2));
  CHECK(s.interval_ms == 0);
  CHECK(s.buffer == 64U << 10U);
  CHECK(s.mode == Mode::fast);
  CHECK(s.tags == std::vector<std::string>{"x", "y"});
}

TEST_CASE("an option table names unknown keys, with the key probably meant", "[unit][config]") {
  CHECK(error_of("s:\n  name: a\n  levle: 1\n") ==
        "t.yaml:3: s.levle: unknown key (did you mean 'level'?)");
  CHECK(error_of("s:\n  name: a\n  colour: red\n") ==
        "t.yaml:3: s.colour: unknown key (expected one of: name, enabled, level, count, ratio, "
        "limit, timeout, interval, buffer, mode, tags, nested)");
}

TEST_CASE("an option table refuses missing, out-of-bounds and mistyped values with file:line",
          "[unit][config]") {
  CHECK(error_of("s:\n  enabled: true\n") == "t.yaml:1: s: 'name' is required");
  CHECK(error_of("s:\n  name: \"\"\n") == "t.yaml:2: s.name: must not be empty");
  CHECK(error_of("s:\n  name: a\n  level: 3\n") == "t.yaml:3: s.level: must be 0, 1 or 2");
  CHECK(error_of("s:\n  name: a\n  level: high\n") ==
        "t.yaml:3: s.level: expected an integer, got 'high'");
  CHECK(error_of("s:\n  name: a\n  count: -1\n") == "t.yaml:3: s.count: must not be negative");
  CHECK(error_of("s:\n  name: a\n  ratio: 1\n") ==
        "t.yaml:3: s.ratio: must be above 0 and below 1");
  CHECK(error_of("s:\n  name: a\n  limit: 0\n") == "t.yaml:3: s.limit: must be greater than 0");
  CHECK(error_of("s:\n  name: a\n  timeout: 500ms\n") ==
        "t.yaml:3: s.timeout: must be at least 1s");
  CHECK(error_of("s:\n  name: a\n  buffer: 1KiB\n") ==
        "t.yaml:3: s.buffer: must be between 4KiB and 1GiB (got 1024 bytes)");
  CHECK(error_of("s:\n  name: a\n  mode: slow\n") ==
        "t.yaml:3: s.mode: 'slow' is not one of: fast, safe");
  CHECK(error_of("s:\n  name: a\n  enabled: maybe\n") ==
        "t.yaml:3: s.enabled: expected true or false, got 'maybe'");
}

TEST_CASE("an option table describes its keys with the struct's defaults", "[unit][config]") {
  const std::vector<OptionDoc> rows = describe_options(sample_options(), "s.");
  REQUIRE(rows.size() == sample_options().size());
  const auto row = [&rows](const std::string& key) {
    for (const OptionDoc& r : rows) {
      if (r.key == key) {
        return r;
      }
    }
    FAIL("no row " << key);
    return OptionDoc{};
  };
  CHECK(row("s.name").default_text == "required");
  CHECK(row("s.enabled").default_text == "`true`");
  CHECK(row("s.level").bounds == "0, 1 or 2");
  CHECK(row("s.ratio").bounds == "above 0 and below 1");
  CHECK(row("s.limit").default_text == "none");
  CHECK(row("s.timeout").default_text == "`30s`");
  CHECK(row("s.timeout").bounds == "at least 1s");
  CHECK(row("s.interval").default_text == "`none`");
  CHECK(row("s.buffer").default_text == "`1MiB`");
  CHECK(row("s.buffer").bounds == "4KiB to 1GiB");
  CHECK(row("s.mode").default_text == "`safe`");
  CHECK(row("s.mode").bounds == "`fast`, `safe`");
  CHECK(row("s.tags").default_text == "none");
  CHECK(render_markdown({row("s.level")}) ==
        "| key | type | default | bounds | meaning |\n|---|---|---|---|---|\n"
        "| `s.level` | integer | `1` | 0, 1 or 2 | A level. |\n");
}
