#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "edgegw/device_table.hpp"

using edgegw::DeviceTable;
using edgegw::DeviceTableLimits;

TEST_CASE("the device table admits up to its cap and counts what it refuses",
          "[unit][device_table]") {
  DeviceTable<int> table(DeviceTableLimits{2, 60'000});
  int inits = 0;
  auto init = [&](const std::string& name, int& state) {
    ++inits;
    state = static_cast<int>(name.size());
  };
  REQUIRE(table.find_or_admit("a", 1000, init) != nullptr);
  REQUIRE(table.find_or_admit("bb", 1000, init) != nullptr);
  CHECK(*table.find("bb") == 2);  // init saw the name
  CHECK(table.find_or_admit("ccc", 1000, init) == nullptr);
  CHECK(table.find_or_admit("ccc", 2000, init) == nullptr);  // every refused sample counts
  CHECK(table.find_or_admit("a", 2000, init) != nullptr);    // known devices still pass
  CHECK(inits == 2);
  CHECK(table.size() == 2);
  CHECK(table.counters().admitted == 2);
  CHECK(table.counters().refused == 2);
  CHECK(table.find("ccc") == nullptr);
}

TEST_CASE("idle entries are evicted, with the callback, and make room again",
          "[unit][device_table]") {
  DeviceTable<int> table(DeviceTableLimits{2, 60'000});
  *table.find_or_admit("a", 0) = 7;
  *table.find_or_admit("b", 0) = 8;
  table.find_or_admit("b", 30'000);  // seen again: its idle time starts over
  std::vector<std::string> evicted;
  auto on_evict = [&](const std::string& name, int& state) {
    evicted.push_back(name + "=" + std::to_string(state));
  };
  CHECK(table.evict_idle(59'999, on_evict) == 0);  // a: idle 59.999 s, not yet
  CHECK(table.evict_idle(60'000, on_evict) == 1);  // a: idle exactly idle_ms
  CHECK(evicted == std::vector<std::string>{"a=7"});
  CHECK(table.find("a") == nullptr);
  CHECK(table.find("b") != nullptr);
  // The freed place goes to a newcomer, which starts from a fresh state.
  REQUIRE(table.find_or_admit("c", 61'000) != nullptr);
  CHECK(*table.find("c") == 0);
  CHECK(table.find_or_admit("d", 61'000) == nullptr);
  CHECK(table.evict_idle(90'000) == 1);  // b, idle since 30 s
  CHECK(table.counters().evicted == 2);
  CHECK(table.counters().admitted == 3);
  CHECK(table.counters().refused == 1);
}

TEST_CASE("last_seen follows the newest sighting and never goes back", "[unit][device_table]") {
  DeviceTable<int> table(DeviceTableLimits{10, 1000});
  table.find_or_admit("a", 5000);
  table.find_or_admit("a", 4000);  // an earlier time (a clock step) keeps the newest
  std::int64_t seen = 0;
  table.for_each([&](const std::string&, DeviceTable<int>::Entry& e) { seen = e.last_seen_ms; });
  CHECK(seen == 5000);
  CHECK(table.evict_idle(5999) == 0);
  table.find_or_admit("a", 6500);
  CHECK(table.evict_idle(7000) == 0);
  CHECK(table.evict_idle(7500) == 1);
}

TEST_CASE("lookups take a string_view, and erase forgets a device", "[unit][device_table]") {
  DeviceTable<std::string> table;  // default limits: 10000 devices, never idle
  const std::string buffer = "pump-001/telemetry";
  const std::string_view device = std::string_view(buffer).substr(0, 8);
  *table.find_or_admit(device, 1) = "state";
  const std::string* state = table.find(std::string_view("pump-001"));
  CHECK((state != nullptr && *state == "state"));
  CHECK(table.find("pump-00") == nullptr);
  CHECK(table.evict_idle(std::int64_t{1} << 62) == 0);  // the default never evicts
  CHECK(table.erase(device));
  CHECK_FALSE(table.erase(device));
  CHECK(table.find(device) == nullptr);
  state = table.find_or_admit(device, 2);
  CHECK((state != nullptr && state->empty()));  // admitted afresh
  CHECK(table.counters().admitted == 2);
}
