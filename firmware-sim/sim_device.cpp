#include "sim_device.hpp"

#include <fmt/format.h>

namespace edgegw::sim {
namespace {

// Independent random streams per device and concern: enabling anomalies or bad payloads
// leaves the clean signal of every device unchanged.
enum class Stream : std::uint64_t {
  model = 0,
  wear = 1,
  anomaly = 2,
  payload = 3,
  field_faults = 4
};

Rng stream_rng(std::uint64_t seed, std::size_t device, Stream s) {
  return Rng(seed, device * 8U + static_cast<std::uint64_t>(s) + 1U);
}

std::string replace_all(std::string text, std::string_view key, std::string_view value) {
  for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos)) {
    text.replace(pos, key.size(), value);
    pos += value.size();
  }
  return text;
}

}  // namespace

SimDevice::SimDevice(const FleetConfig& fleet, const ClassConfig& cls, DeviceIdentity identity,
                     std::int64_t first_tick_ms, SparkplugNode* node)
    : identity_(std::move(identity)),
      class_config_(cls),
      bad_payloads_(fleet.bad_payloads),
      rul_every_ticks_(fleet.labels.rul_every_ticks),
      wear_(cls.wear, cls.interval_ms, stream_rng(fleet.seed, identity_.index, Stream::wear)),
      injector_(fleet.anomalies, cls.device_class, cls.interval_ms,
                stream_rng(fleet.seed, identity_.index, Stream::anomaly)),
      encoder_(cls.device_class),
      payload_rng_(stream_rng(fleet.seed, identity_.index, Stream::payload)),
      next_ms_(first_tick_ms),
      node_(node) {
  const Rng model_rng = stream_rng(fleet.seed, identity_.index, Stream::model);
  if (cls.device_class == DeviceClass::field) {
    field_.emplace(model_rng, first_tick_ms);
    field_faults_.emplace(fleet.field_faults, cls.interval_ms,
                          stream_rng(fleet.seed, identity_.index, Stream::field_faults));
  } else {
    machine_.emplace(cls.device_class, model_rng, first_tick_ms);
  }
  if (cls.format == PayloadFormat::bare) {
    for (const SensorSpec& s : sensors_of(cls.device_class)) {
      topics_.push_back(make_topic(s.name));
    }
    topics_.push_back(make_topic("seq"));
    topics_.push_back(make_topic("state"));
  } else if (cls.format == PayloadFormat::sparkplug) {
    sparkplug_.emplace(cls.device_class);
    topics_.push_back(node_->topic("DDATA", identity_.id));
  } else {
    topics_.push_back(make_topic(""));
  }
}

std::string SimDevice::make_topic(std::string_view sensor) const {
  std::string t = replace_all(class_config_.topic, "{site}", identity_.site);
  t = replace_all(std::move(t), "{class}", class_name(identity_.device_class));
  t = replace_all(std::move(t), "{device}", identity_.id);
  return replace_all(std::move(t), "{sensor}", sensor);
}

std::span<const double> SimDevice::values() const {
  return std::span<const double>(values_).first(sensors_of(identity_.device_class).size());
}

std::optional<Corruption> SimDevice::draw_corruption() {
  const double dt_hours = static_cast<double>(class_config_.interval_ms) / 3.6e6;
  std::optional<Corruption> chosen;
  const auto sensors = static_cast<std::int64_t>(sensors_of(identity_.device_class).size());
  for (std::size_t k = 0; k < kBadPayloadKindCount; ++k) {
    // Always draw, so that each kind's rate leaves the others' draws in place.
    const bool hit = payload_rng_.bernoulli(bad_payloads_.rate_per_hour.at(k) * dt_hours);
    const auto sensor = static_cast<int>(payload_rng_.uniform_int(0, sensors - 1));
    if (hit && bad_payloads_.enabled && !chosen) {
      chosen = Corruption{static_cast<BadPayloadKind>(k), sensor, bad_payloads_.oversized_bytes};
    }
  }
  return chosen;
}

void SimDevice::publish(TickOutput& out, std::int64_t now_ms) {
  ++seq_;
  const auto specs = sensors_of(identity_.device_class);
  const TickValues t{seq_, now_ms, run_state(), values()};
  const std::optional<Corruption> corruption = draw_corruption();
  // Sparkplug devices send no bad payloads: a broken protobuf is the gateway's
  // decode_error, tested with payloads of the tests' own.
  const bool can_corrupt = class_config_.format != PayloadFormat::sparkplug;
  const Corruption* c = corruption && can_corrupt ? &*corruption : nullptr;
  auto add = [&](const std::string& topic) -> std::string& {
    out.messages.push_back(Message{topic, {}, class_config_.qos, now_ms, identity_.index});
    ++published_;
    return out.messages.back().payload;
  };
  std::string bad_topic;
  switch (class_config_.format) {
    case PayloadFormat::json:
      encoder_.encode_json(t, c, payload_rng_, add(topics_[0]));
      bad_topic = topics_[0];
      break;
    case PayloadFormat::csv:
      encoder_.encode_csv(t, c, payload_rng_, add(topics_[0]));
      bad_topic = topics_[0];
      break;
    case PayloadFormat::bare:
      // The seq first, so that a checker sees the tick open before its readings.
      fmt::format_to(std::back_inserter(add(topics_[specs.size()])), "{}", seq_);
      for (std::size_t i = 0; i < specs.size(); ++i) {
        const bool target = c != nullptr && c->sensor == static_cast<int>(i);
        encoder_.encode_bare(t.values[i], i, target ? c : nullptr, add(topics_[i]));
      }
      fmt::format_to(std::back_inserter(add(topics_[specs.size() + 1])), "{}",
                     static_cast<int>(t.state));
      if (c != nullptr) {
        bad_topic = topics_[static_cast<std::size_t>(c->sensor)];
      }
      break;
    case PayloadFormat::sparkplug:
      publish_sparkplug(t, out);
      break;
  }
  if (c != nullptr) {
    Label l;
    l.type = LabelType::bad_payload;
    l.device = identity_.id;
    // Malformed and oversized JSON/CSV spoil the whole message, not one sensor.
    const bool whole =
        class_config_.format != PayloadFormat::bare &&
        (c->kind == BadPayloadKind::malformed || c->kind == BadPayloadKind::oversized);
    l.sensor = whole ? "" : std::string(specs[static_cast<std::size_t>(c->sensor)].name);
    l.kind = std::string(bad_payload_name(c->kind));
    l.start_ms = now_ms;
    l.seq = seq_;
    l.topic = bad_topic;
    out.labels.push_back(std::move(l));
  }
}

// A protobuf message of this device, on its edge node's connection.
Message& SimDevice::add_sparkplug(TickOutput& out, std::string topic, std::int64_t now_ms) {
  ++published_;
  return out.messages.emplace_back(Message{.topic = std::move(topic),
                                           .payload = {},
                                           .qos = class_config_.qos,
                                           .event_ms = now_ms,
                                           .device = identity_.index,
                                           .binary = true,
                                           .connection_of = node_->first_device()});
}

void SimDevice::publish_sparkplug(const TickValues& t, TickOutput& out) {
  if (!node_->born()) {
    out.messages.push_back(node_->birth(t.ts_ms));
    out.messages.back().device = identity_.index;
    ++published_;
  }
  Message& m =
      add_sparkplug(out, born_ ? topics_[0] : node_->topic("DBIRTH", identity_.id), t.ts_ms);
  if (born_) {
    sparkplug_->device_data(t, node_->next_seq(), m.payload);
  } else {
    sparkplug_->device_birth(t, node_->next_seq(), m.payload);
    born_ = true;
  }
}

void SimDevice::publish_sparkplug_death(TickOutput& out, std::int64_t now_ms) {
  Message& m = add_sparkplug(out, node_->topic("DDEATH", identity_.id), now_ms);
  sparkplug_->device_death(now_ms, node_->next_seq(), m.payload);
  born_ = false;
}

RunState SimDevice::run_state() const {
  if (field_) {  // a field station runs while it irrigates
    return field_->state().irrigating ? RunState::running : RunState::idle;
  }
  return wear_.in_repair() ? RunState::fault : machine_->state().state;
}

bool SimDevice::step_machine(std::int64_t now_ms, double dt_s, std::span<double> values,
                             TickOutput& out) {
  if (wear_.step() == WearEvent::failed) {
    Label l;
    l.type = LabelType::failure;
    l.device = identity_.id;
    l.kind = "bearing_failure";
    l.start_ms = now_ms;
    l.end_ms = now_ms + wear_.repair_ticks() * class_config_.interval_ms;
    l.count = wear_.life();
    out.labels.push_back(std::move(l));
  }
  machine_->step(now_ms, dt_s, wear_.wear(), wear_.in_repair(), values);
  return injector_.apply(now_ms, values, identity_.id, out.labels);
}

bool SimDevice::step_field(std::int64_t now_ms, double dt_s, std::span<double> values,
                           TickOutput& out) {
  const bool line_blocked = field_faults_->start_tick(now_ms);
  field_->step(now_ms, dt_s, line_blocked, values);
  const bool dropout = injector_.apply(now_ms, values, identity_.id, out.labels);
  const bool battery_dead =
      field_faults_->apply(now_ms, field_->state().irrigating, values, identity_.id, out.labels);
  return dropout || battery_dead;
}

void SimDevice::tick(TickOutput& out) {
  const std::int64_t now = next_ms_;
  const double dt_s = static_cast<double>(class_config_.interval_ms) / 1000.0;
  const auto n = sensors_of(identity_.device_class).size();
  const std::span<double> values = std::span<double>(values_).first(n);
  const bool silent =
      field_ ? step_field(now, dt_s, values, out) : step_machine(now, dt_s, values, out);
  if (wear_.enabled() && ticks_ % static_cast<std::uint64_t>(rul_every_ticks_) == 0) {
    Label l;
    l.type = LabelType::rul;
    l.device = identity_.id;
    l.start_ms = now;
    l.seq = seq_ + (silent ? 0 : 1);
    l.wear = wear_.wear();
    l.rul_ms = wear_.rul_ticks() * class_config_.interval_ms;
    l.count = wear_.life();
    out.labels.push_back(std::move(l));
  }
  if (!silent) {
    publish(out, now);
  } else if (born_) {
    publish_sparkplug_death(out, now);
  }
  ++ticks_;
  last_ms_ = now;
  next_ms_ = now + class_config_.interval_ms;
}

void SimDevice::finish(std::vector<Label>& labels) {
  injector_.close_all(identity_.id, labels);
  if (field_faults_) {
    field_faults_->close_all(identity_.id, labels);
  }
  Label l;
  l.type = LabelType::device_summary;
  l.device = identity_.id;
  l.kind = std::string(class_name(identity_.device_class));
  l.sensor = identity_.site;
  l.topic = topics_.size() == 1 ? topics_[0] : make_topic("{sensor}");
  l.seq = seq_;
  l.count = published_;
  l.end_ms = last_ms_;
  labels.push_back(std::move(l));
}

}  // namespace edgegw::sim
