#include "sim_test_support.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "edgegw/csv.hpp"
#include "sensor_catalog.hpp"

namespace edgegw::sim::test {
namespace {

// Owned copies: the callers keep parts of temporaries.
std::vector<std::string> split(std::string_view s, char sep) {
  const std::vector<std::string_view> fields = split_fields(s, sep);
  return {fields.begin(), fields.end()};
}

std::optional<double> number(const std::string& s) {
  double v = 0.0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || p != end) {
    return std::nullopt;
  }
  return v;
}

DeviceClass class_of(const std::string& topic) {
  return *class_from_name(split(topic, '/').at(2));
}

std::optional<DecodedTick> decode_json(const Message& m) {
  const auto j = nlohmann::json::parse(m.payload, nullptr, false);
  if (j.is_discarded() || m.payload.size() > 4096) {
    return std::nullopt;
  }
  DecodedTick t;
  t.device = device_of(m.topic);
  t.seq = j.at("seq").get<std::uint64_t>();
  t.ts_ms = j.at("ts").get<std::int64_t>();
  const std::string state = j.at("state").get<std::string>();
  t.state = state == "idle" ? 0 : state == "running" ? 1 : 2;
  for (const auto& [name, v] : j.at("metrics").items()) {
    const auto& num = v.is_object() ? v.at("value") : v;
    if (!num.is_number()) {
      return std::nullopt;
    }
    t.values[name] = num.get<double>();
  }
  return t;
}

std::optional<DecodedTick> decode_csv(const Message& m) {
  const auto specs = sensors_of(class_of(m.topic));
  const auto cols = split(m.payload, ',');
  if (cols.size() != specs.size() + 3 || m.payload.size() > 4096) {
    return std::nullopt;
  }
  DecodedTick t;
  t.device = device_of(m.topic);
  t.seq = std::stoull(cols[0]);
  t.ts_ms = std::stoll(cols[1]);
  t.state = std::stoi(cols.back());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto v = number(cols[i + 2]);
    if (!v) {
      return std::nullopt;
    }
    t.values[std::string(specs[i].name)] = *v;
  }
  return t;
}

}  // namespace

Generated generate(const FleetConfig& config, std::size_t ticks) {
  FleetGenerator g(config);
  Generated out;
  TickOutput tick;
  for (std::size_t i = 0; i < ticks; ++i) {
    g.next(tick);
    out.messages.insert(out.messages.end(), tick.messages.begin(), tick.messages.end());
    out.labels.insert(out.labels.end(), tick.labels.begin(), tick.labels.end());
  }
  g.finish(out.labels);
  return out;
}

FleetConfig small_fleet(std::vector<DeviceClass> classes, std::uint64_t seed) {
  FleetConfig f = default_fleet();
  f.seed = seed;
  f.classes.clear();
  for (DeviceClass c : classes) {
    ClassConfig cc = default_class_config(c);
    cc.count = 1;
    f.classes.push_back(cc);
  }
  return f;
}

void quiet(FleetConfig& config) {
  config.anomalies.enabled = false;
  config.field_faults.enabled = false;
  config.bad_payloads.enabled = false;
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<double>(x.size());
  double mx = 0;
  double my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  double sxy = 0;
  double sxx = 0;
  double syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::string device_of(const std::string& topic) {
  return split(topic, '/').at(3);
}

std::vector<DecodedTick> decode_all(const std::vector<Message>& messages) {
  std::vector<DecodedTick> ticks;
  std::map<std::string, DecodedTick> open_bare;  // device -> tick being assembled
  auto close = [&](const std::string& device) {
    auto it = open_bare.find(device);
    if (it != open_bare.end()) {
      ticks.push_back(it->second);
      open_bare.erase(it);
    }
  };
  for (const Message& m : messages) {
    const auto parts = split(m.topic, '/');
    if (parts.size() == 5 && parts[4] == "telemetry") {
      const auto t = parts[2] == "motor" ? decode_csv(m) : decode_json(m);
      if (t) {
        ticks.push_back(*t);
      }
      continue;
    }
    const std::string device = parts.at(3);
    const std::string& sensor = parts.at(4);
    if (sensor == "seq") {
      close(device);
      DecodedTick t;
      t.device = device;
      t.seq = std::stoull(m.payload);
      t.ts_ms = m.event_ms;  // bare numbers carry no time: the checker uses arrival time
      open_bare[device] = t;
    } else if (sensor == "state") {
      open_bare[device].state = std::stoi(m.payload);
    } else if (const auto v = number(m.payload); v && m.payload.size() < 64) {
      open_bare[device].values[sensor] = *v;
    }
  }
  while (!open_bare.empty()) {
    close(open_bare.begin()->first);
  }
  return ticks;
}

}  // namespace edgegw::sim::test
