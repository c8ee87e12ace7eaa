#pragma once
// What a simulated fleet looks like: device classes, how many of each, sites, timing,
// payload formats, topic layout, the wear process, and the rates of injected anomalies
// and bad payloads. A plain value: built by default_fleet() or load_fleet_file(), then
// adjusted by CLI flags and checked by validate() before the generator takes a copy.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgegw::sim {

// Machines (pump, motor, compressor) run in a plant with bearing wear; a field station
// sits in a crop field: soil, weather, an irrigation valve and a battery.
enum class DeviceClass : std::uint8_t { pump, motor, compressor, field };
inline constexpr std::array<DeviceClass, 3> kMachineClasses{DeviceClass::pump, DeviceClass::motor,
                                                            DeviceClass::compressor};
inline constexpr std::array<DeviceClass, 4> kDeviceClasses{
    DeviceClass::pump, DeviceClass::motor, DeviceClass::compressor, DeviceClass::field};

enum class PayloadFormat : std::uint8_t { json, csv, bare, sparkplug };

// Sensor-level anomalies plus dropout (a whole device falls silent).
enum class AnomalyKind : std::uint8_t {
  spike,
  level_shift,
  drift,
  stuck,
  noise_burst,
  broken_correlation,
  dropout,
};
inline constexpr std::size_t kAnomalyKindCount = 7;

// A field station's own faults (docs/firmware-sim.md): the soil moisture probe drifts
// out of calibration, an irrigation delivers no water although the valve is open (a
// blocked line: the soil dries out while irrigating), or the battery fails (its voltage
// sags, then the station falls silent until the battery is replaced).
enum class FieldFaultKind : std::uint8_t { sensor_drift, dry_out, battery_failure };
inline constexpr std::size_t kFieldFaultKindCount = 3;

enum class BadPayloadKind : std::uint8_t { malformed, wrong_type, out_of_range, oversized };
inline constexpr std::size_t kBadPayloadKindCount = 4;

std::string_view class_name(DeviceClass c);
std::optional<DeviceClass> class_from_name(std::string_view name);
std::string_view format_name(PayloadFormat f);
std::optional<PayloadFormat> format_from_name(std::string_view name);
std::string_view anomaly_name(AnomalyKind k);
std::string_view bad_payload_name(BadPayloadKind k);
std::string_view field_fault_name(FieldFaultKind k);

// Bearing wear: each life lasts a random number of hours; wear grows (with randomness)
// from 0 to 1 over that life, then the device fails, waits for repair, and starts again.
struct WearConfig {
  bool enabled = true;
  double min_life_hours = 6.0;
  double max_life_hours = 12.0;
  double repair_minutes = 15.0;
  double shape = 2.0;        // wear ≈ (age/life)^shape: slow at first, faster near the end
  double volatility = 0.15;  // size of the random excursions around that curve
  // When set, the first failure comes this many minutes [min, max] after the start
  // (uniform, at most one life), instead of the first life having begun 0–80 % ago: a
  // demo can show failures within its first minute. Later lives are unaffected.
  std::optional<std::pair<double, double>> first_failure_minutes;
};

// Sparkplug B devices (format sparkplug): every `devices_per_node` devices of the class
// share an edge node, named "<class>-node-NN", in Sparkplug group `group`.
struct SparkplugClassConfig {
  std::string group = "plant1";
  int devices_per_node = 4;
};

struct ClassConfig {
  DeviceClass device_class = DeviceClass::pump;
  int count = 0;
  PayloadFormat format = PayloadFormat::json;
  std::string topic;  // template with {site}, {class}, {device} and (bare format) {sensor}
  std::int64_t interval_ms = 1000;
  int qos = 1;
  WearConfig wear;
  SparkplugClassConfig sparkplug;  // format sparkplug only
};

struct AnomalySpec {
  double rate_per_hour = 0.0;  // expected starts per device per hour of event time
  double magnitude = 0.0;      // in units of the sensor's scale (see docs)
  double min_duration_s = 0.0;
  double max_duration_s = 0.0;
};

struct AnomalyConfig {
  bool enabled = true;
  std::array<AnomalySpec, kAnomalyKindCount> kinds{};
};

struct FieldFaultConfig {
  bool enabled = true;
  std::array<AnomalySpec, kFieldFaultKindCount> kinds{};
};

struct BadPayloadConfig {
  bool enabled = true;
  std::array<double, kBadPayloadKindCount> rate_per_hour{};  // per device per hour
  std::size_t oversized_bytes = std::size_t{256} * 1024;
};

struct LabelsConfig {
  int rul_every_ticks = 60;  // one remaining-useful-life line per device every N ticks
};

struct FleetConfig {
  std::uint64_t seed = 1;
  std::int64_t start_ms = 1704067200000;  // 2024-01-01T00:00:00Z; simulated clock start
  std::vector<std::string> sites{"plant1"};
  std::vector<ClassConfig> classes;
  AnomalyConfig anomalies;
  FieldFaultConfig field_faults;
  BadPayloadConfig bad_payloads;
  LabelsConfig labels;

  // Throws FleetConfigError naming the key when a value is out of bounds.
  void validate() const;
  [[nodiscard]] int device_count() const;
};

// The defaults every class starts from: topic layout, format, interval, QoS.
ClassConfig default_class_config(DeviceClass c);
AnomalyConfig default_anomalies();
FieldFaultConfig default_field_faults();
BadPayloadConfig default_bad_payloads();
// Two devices of each machine class on one site, default rates: what runs without a
// fleet file (field stations report minutes apart, so a default run leaves them out).
FleetConfig default_fleet();

// A configuration error a user can act on: "<file>:<line>: <key>: <problem>".
class FleetConfigError : public std::runtime_error {
 public:
  explicit FleetConfigError(const std::string& message, std::string key = {})
      : std::runtime_error(message), key_(std::move(key)) {}
  // The dotted key at fault ("classes.pump.count"), when known.
  [[nodiscard]] const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// Reads a fleet file (YAML). Unknown keys, wrong types and bad values throw
// FleetConfigError naming the file, line and key. `source_name` labels the text in
// messages (the file name when reading a file).
FleetConfig parse_fleet_yaml(std::string_view text, std::string_view source_name);
FleetConfig load_fleet_file(const std::filesystem::path& path);

// Integer epoch milliseconds, or ISO-8601 in UTC ("2024-01-01T00:00:00Z", optional
// fraction; Z or +00:00) as edgegw::parse_iso8601_ms reads it.
std::optional<std::int64_t> parse_time_ms(std::string_view text);

}  // namespace edgegw::sim
