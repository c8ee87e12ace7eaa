#pragma once
// One simulated device: its physics (a machine model with its wear process, or a field
// station's model with its faults), anomaly injector and payload encoder, its identity
// and topics, and its sequence number. tick() produces everything
// the device publishes at one instant, plus the labels that instant closed.
//
// Owned by FleetGenerator; single-threaded; pure (no I/O, no clock: time is passed in).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anomaly_injector.hpp"
#include "field_faults.hpp"
#include "field_model.hpp"
#include "fleet_config.hpp"
#include "machine_model.hpp"
#include "message.hpp"
#include "payload_encoder.hpp"
#include "sparkplug_encoder.hpp"
#include "sparkplug_node.hpp"
#include "wear_process.hpp"

namespace edgegw::sim {

struct DeviceIdentity {
  std::string id;  // "pump-007", unique across the fleet
  std::string site;
  DeviceClass device_class = DeviceClass::pump;
  std::size_t index = 0;  // position in the fleet
};

class SimDevice {
 public:
  // `node`: the device's Sparkplug edge node (format sparkplug only), which outlives it.
  SimDevice(const FleetConfig& fleet, const ClassConfig& cls, DeviceIdentity identity,
            std::int64_t first_tick_ms, SparkplugNode* node = nullptr);

  // Generates the tick at next_ms() and advances to the following one.
  void tick(TickOutput& out);
  // Closes open anomaly windows and appends the device summary.
  void finish(std::vector<Label>& labels);
  // The runner did not publish a message of the last tick (stopped mid-tick).
  void unsent() { --published_; }
  // A message of its edge node (NDEATH) counted as one of this device's.
  void sent_for_node() { ++published_; }

  [[nodiscard]] std::int64_t next_ms() const { return next_ms_; }
  [[nodiscard]] const DeviceIdentity& identity() const { return identity_; }
  [[nodiscard]] std::uint64_t seq() const { return seq_; }
  // The hidden state of a machine (pump, motor, compressor) or of a field station.
  [[nodiscard]] const HiddenState& hidden() const { return machine_.value().state(); }
  [[nodiscard]] const FieldState& field() const { return field_.value().state(); }
  [[nodiscard]] const WearProcess& wear() const { return wear_; }
  // Values of the last tick after anomalies, before encoding (for tests).
  [[nodiscard]] std::span<const double> values() const;

 private:
  std::string make_topic(std::string_view sensor) const;
  void publish(TickOutput& out, std::int64_t now_ms);
  // Sparkplug B: the node's NBIRTH first if due, then the DBIRTH or DDATA of the tick.
  void publish_sparkplug(const TickValues& t, TickOutput& out);
  Message& add_sparkplug(TickOutput& out, std::string topic, std::int64_t now_ms);
  // Sparkplug B: a device falling silent (dropout, dead battery) says so, once.
  void publish_sparkplug_death(TickOutput& out, std::int64_t now_ms);
  std::optional<Corruption> draw_corruption();
  // One tick of the physics and its faults; true when the device is silent.
  bool step_machine(std::int64_t now_ms, double dt_s, std::span<double> values, TickOutput& out);
  bool step_field(std::int64_t now_ms, double dt_s, std::span<double> values, TickOutput& out);
  [[nodiscard]] RunState run_state() const;

  DeviceIdentity identity_;
  ClassConfig class_config_;
  BadPayloadConfig bad_payloads_;
  int rul_every_ticks_;
  std::optional<MachineModel> machine_;  // exactly one of machine_ and field_
  std::optional<FieldModel> field_;
  std::optional<FieldFaults> field_faults_;
  WearProcess wear_;
  AnomalyInjector injector_;
  PayloadEncoder encoder_;
  Rng payload_rng_;
  std::vector<std::string> topics_;  // one per sensor, then seq and state (bare); or one
  std::array<double, kMaxSensors> values_{};
  std::int64_t next_ms_;
  std::int64_t last_ms_ = 0;
  std::uint64_t ticks_ = 0;
  std::uint64_t seq_ = 0;
  std::int64_t published_ = 0;
  SparkplugNode* node_ = nullptr;  // format sparkplug: its edge node, and its encoder
  std::optional<SparkplugEncoder> sparkplug_;
  bool born_ = false;  // its DBIRTH is out, and no DDEATH since
};

}  // namespace edgegw::sim
