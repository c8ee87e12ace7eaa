#include "records/telemetry_record.hpp"

#include <algorithm>
#include <vector>

#include "edgegw/time_format.hpp"
#include "records/json_text.hpp"

namespace edgegw::records {
namespace {

// The record is written as text, once per message; it must stay byte for byte what a
// nlohmann document of the same fields dumps (the tests compare the two): keys in
// std::map order, and a repeated tag or sensor name as a map would merge it.

template <typename T, typename Name>
std::vector<const T*> sorted_by_name(const std::vector<T>& items, Name name) {
  std::vector<const T*> sorted;
  sorted.reserve(items.size());
  for (const T& item : items) {
    sorted.push_back(&item);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const T* a, const T* b) { return name(*a) < name(*b); });
  return sorted;
}

// `"tags":{...}`; of repeated names, the last value.
void append_tags(std::string& out, const Sample& sample) {
  using Tag = std::pair<std::string, std::string>;
  const auto tags =
      sorted_by_name(sample.tags, [](const Tag& t) -> const std::string& { return t.first; });
  out += "\"tags\":{";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i + 1 < tags.size() && tags[i + 1]->first == tags[i]->first) {
      continue;
    }
    if (out.back() != '{') {
      out += ',';
    }
    append_json_string(out, tags[i]->first);
    out += ':';
    append_json_string(out, tags[i]->second);
  }
  out += '}';
}

// `"readings":{"name":{"unit":..,"value":..},...}`; of repeated names, the last value and
// the last unit that was not empty.
void append_readings(std::string& out, const Sample& sample) {
  const auto readings = sorted_by_name(
      sample.readings, [](const Reading& r) -> const std::string& { return r.sensor; });
  out += "\"readings\":{";
  const std::string* unit = nullptr;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    const Reading& r = *readings[i];
    if (!r.unit.empty()) {
      unit = &r.unit;
    }
    if (i + 1 < readings.size() && readings[i + 1]->sensor == r.sensor) {
      continue;
    }
    if (out.back() != '{') {
      out += ',';
    }
    append_json_string(out, r.sensor);
    out += ":{";
    if (unit != nullptr) {
      out += "\"unit\":";
      append_json_string(out, *unit);
      out += ',';
    }
    out += "\"value\":";
    append_json_number(out, r.value);
    out += '}';
    unit = nullptr;
  }
  out += '}';
}

}  // namespace

std::string encode_telemetry(const Sample& sample, std::string_view gateway_id,
                             std::string_view mapping_name, std::int64_t received_ms) {
  std::string out;
  out.reserve(256 + 48 * sample.readings.size());
  out += "{\"device\":";
  append_json_string(out, sample.device);
  out += ",\"gateway\":";
  append_json_string(out, gateway_id);
  out += ",\"mapping\":";
  append_json_string(out, mapping_name);
  out += ',';
  append_readings(out, sample);
  out += ",\"received\":";
  append_json_integer(out, received_ms);
  out += ",\"schema\":";
  append_json_string(out, kTelemetrySchema);
  if (sample.sequence >= 0) {
    out += ",\"seq\":";
    append_json_integer(out, sample.sequence);
  }
  out += ',';
  append_tags(out, sample);
  out += ",\"time\":";
  append_json_string(out, iso8601_utc(sample.timestamp_ms));
  out += ",\"ts\":";
  append_json_integer(out, sample.timestamp_ms);
  out += '}';
  return out;
}

}  // namespace edgegw::records
