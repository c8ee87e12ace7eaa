#include "payload_encoder.hpp"

#include <fmt/format.h>

#include <iterator>

namespace edgegw::sim {

PayloadEncoder::PayloadEncoder(DeviceClass device_class) : specs_(sensors_of(device_class)) {}

void PayloadEncoder::append_value(std::string& out, std::size_t sensor, double value) const {
  fmt::format_to(std::back_inserter(out), "{:.{}f}", value, specs_[sensor].decimals);
}

double PayloadEncoder::out_of_range_value(const SensorSpec& spec, Rng& rng) {
  const double span = spec.max_valid - spec.min_valid;
  return rng.bernoulli(0.5) ? spec.max_valid + span * rng.uniform(5.0, 50.0)
                            : spec.min_valid - span * rng.uniform(5.0, 50.0);
}

void PayloadEncoder::pad(std::string& out, std::size_t bytes) {
  if (out.size() < bytes) {
    out.append(bytes - out.size(), ' ');
  }
}

void PayloadEncoder::encode_json(const TickValues& t, const Corruption* corrupt, Rng& rng,
                                 std::string& out) const {
  out.clear();
  auto it = std::back_inserter(out);
  fmt::format_to(it, R"({{"seq":{},"ts":{},"state":"{}","metrics":{{)", t.seq, t.ts_ms,
                 run_state_name(t.state));
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const SensorSpec& s = specs_[i];
    if (i > 0) {
      out += ',';
    }
    fmt::format_to(it, R"("{}":)", s.name);
    if (s.json_nested) {
      out += R"({"value":)";
    }
    const bool target = corrupt != nullptr && corrupt->sensor == static_cast<int>(i);
    if (target && corrupt->kind == BadPayloadKind::wrong_type) {
      out += '"';
      append_value(out, i, t.values[i]);
      out += '"';
    } else if (target && corrupt->kind == BadPayloadKind::out_of_range) {
      append_value(out, i, out_of_range_value(s, rng));
    } else {
      append_value(out, i, t.values[i]);
    }
    if (s.json_nested) {
      fmt::format_to(it, R"(,"unit":"{}"}})", s.unit);
    }
  }
  out += t.state == RunState::fault ? R"(},"fault":"bearing_failure"})" : R"(},"fault":null})";
  if (corrupt == nullptr) {
    return;
  }
  if (corrupt->kind == BadPayloadKind::malformed) {
    // Cut somewhere in the second half: never parses, while the seq at the front may.
    const std::size_t half = out.size() / 2;
    out.resize(half + static_cast<std::size_t>(
                          rng.uniform_int(0, static_cast<std::int64_t>(out.size() - half) - 2)));
  } else if (corrupt->kind == BadPayloadKind::oversized) {
    pad(out, corrupt->oversized_bytes);
  }
}

void PayloadEncoder::encode_csv(const TickValues& t, const Corruption* corrupt, Rng& rng,
                                std::string& out) const {
  out.clear();
  fmt::format_to(std::back_inserter(out), "{},{}", t.seq, t.ts_ms);
  std::size_t columns = specs_.size();
  if (corrupt != nullptr && corrupt->kind == BadPayloadKind::malformed) {
    columns -= 2;  // a short row: the column count no longer matches
  }
  for (std::size_t i = 0; i < columns; ++i) {
    out += ',';
    const bool target = corrupt != nullptr && corrupt->sensor == static_cast<int>(i);
    if (target && corrupt->kind == BadPayloadKind::wrong_type) {
      out += "ERR";
    } else if (target && corrupt->kind == BadPayloadKind::out_of_range) {
      append_value(out, i, out_of_range_value(specs_[i], rng));
    } else {
      append_value(out, i, t.values[i]);
    }
  }
  if (corrupt == nullptr || corrupt->kind != BadPayloadKind::malformed) {
    fmt::format_to(std::back_inserter(out), ",{}", static_cast<int>(t.state));
  }
  if (corrupt != nullptr && corrupt->kind == BadPayloadKind::oversized) {
    pad(out, corrupt->oversized_bytes);
  }
}

void PayloadEncoder::encode_bare(double value, std::size_t sensor, const Corruption* corrupt,
                                 std::string& out) const {
  out.clear();
  if (corrupt == nullptr) {
    append_value(out, sensor, value);
    return;
  }
  switch (corrupt->kind) {
    case BadPayloadKind::malformed:
      append_value(out, sensor, value);
      out += ".7";  // "12.34.7": two decimal points
      break;
    case BadPayloadKind::wrong_type:
      out = "true";
      break;
    case BadPayloadKind::out_of_range: {
      // A fixed far-out value keeps encode_bare free of randomness.
      const SensorSpec& s = specs_[sensor];
      append_value(out, sensor, s.max_valid + 10.0 * (s.max_valid - s.min_valid));
      break;
    }
    case BadPayloadKind::oversized:
      append_value(out, sensor, value);
      pad(out, corrupt->oversized_bytes);
      break;
  }
}

}  // namespace edgegw::sim
