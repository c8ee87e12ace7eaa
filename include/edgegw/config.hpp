#pragma once
// The gateway's configuration as plain values, one struct per component. Only
// gateway/config/ reads files; it fills these and validates them, naming file, line and
// key on error. Each component takes its own struct.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/analytics/maintenance_config.hpp"
#include "edgegw/device_metadata.hpp"
#include "edgegw/log.hpp"
#include "edgegw/mapping.hpp"
#include "edgegw/stream.hpp"

namespace edgegw {

struct TlsConfig {
  bool enabled = false;
  std::string ca_file;
  std::string ca_dir;  // a directory of hashed CA certificates (c_rehash)
  std::string cert_file;
  std::string key_file;
  std::string key_password;  // of an encrypted key_file; resolved from key_password[_env|_file]
  bool verify_server = true;
  std::string min_version = "1.2";
  std::string ciphers;  // OpenSSL cipher list for TLS 1.2; empty: AEAD suites only

  bool operator==(const TlsConfig&) const = default;  // a reload compares them
};

// Alert transitions also published on a local MQTT topic, for actuation at the edge
// (a PLC or a local dashboard subscribes). Best effort next to the alerts stream: a
// separate connection with its own bounded buffer, so that it can never hold up ingest.
struct AlertTopicConfig {
  bool enabled = false;
  // Placeholders: {gateway} {device} {source} {severity}.
  std::string topic = "edgegw/{gateway}/alerts/{device}/{source}";
  int qos = 1;
  bool retain = false;                // the broker keeps each topic's latest transition
  std::string min_severity = "info";  // info | warning | critical
  std::size_t max_buffered = 1000;    // awaiting the broker; the oldest go beyond this

  bool operator==(const AlertTopicConfig&) const = default;  // a reload compares them
};

struct MqttConfig {
  std::string broker = "tcp://127.0.0.1:1883";
  std::string client_id = "edgegw";
  int mqtt_version = 4;                    // 4 = MQTT 3.1.1, 5 = MQTT 5
  std::vector<std::string> subscriptions;  // empty: derived from the mapping templates
  int qos = 1;
  bool persistent_session = true;
  // MQTT 5: how long the broker keeps the session (and queues for it) after the gateway
  // disconnects; zero: for ever. MQTT 3.1.1 has no such field.
  std::chrono::seconds session_expiry{0};
  std::chrono::seconds keep_alive{30};
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30000};
  std::chrono::seconds connect_timeout{10};
  // Larger payloads are not mapped but dead-lettered (cut to 64 KiB): one runaway device
  // must not fill the log.
  std::size_t max_payload_bytes = std::size_t{64} * 1024;
  // Longer device ids and tag values (from topics) are dead-lettered (bad_device): they
  // become Kafka keys, state-table keys and parts of outgoing MQTT topics.
  std::size_t max_id_bytes = 256;
  // Dead letters stored per source (device, or topic without one): a token bucket of
  // this average rate and burst; 0 = no limit. The excess is counted, not stored.
  double dead_letter_rate = 10;
  std::uint32_t dead_letter_burst = 100;
  std::string username;
  std::string password;  // resolved from password / password_env / password_file
  TlsConfig tls;
  AlertTopicConfig alerts;

  bool operator==(const MqttConfig&) const = default;  // a reload compares them
};

// What the config declares about a stream's topic beyond its name (the map form of
// `kafka.topics.<stream>`). Each declared setting is compared with the cluster's; a
// missing topic is created from them when it declares its partitions. Unset: the
// broker's default, not compared.
struct TopicSettings {
  std::optional<int> partitions;
  std::optional<int> replication_factor;
  std::optional<std::int64_t> retention_ms;     // retention.ms; -1: kept forever
  std::optional<std::int64_t> retention_bytes;  // retention.bytes; -1: no size limit
  std::optional<std::string> compression;       // compression.type
  std::optional<std::string> cleanup_policy;    // cleanup.policy

  bool operator==(const TopicSettings&) const = default;  // a reload compares them
};

// What the gateway does with the declared topics when it starts (kafka.manage_topics).
enum class TopicManagement {
  off,    // nothing: the topics are someone else's business
  check,  // compares, and reports a missing or differing topic
  create  // as check, and creates a missing topic that declares its partitions
};

// How the forwarder delivers the log to Kafka (docs/delivery-guarantees.md).
enum class KafkaDelivery {
  at_least_once,  // acknowledged records move the local cursor; a crash may resend
  exactly_once    // ranges of the log in Kafka transactions, the cursor committed inside
};

struct KafkaConfig {
  std::string bootstrap_servers;
  // Every stream has one; the config may rename them (defaults: docs/configuration.md).
  std::map<Stream, std::string> topics = {
      {Stream::telemetry, "edgegw.telemetry"},     {Stream::aggregates, "edgegw.aggregates"},
      {Stream::alerts, "edgegw.alerts"},           {Stream::predictions, "edgegw.predictions"},
      {Stream::dead_letter, "edgegw.dead-letter"},
  };
  // Only for the streams whose topic is declared in the map form.
  std::map<Stream, TopicSettings> topic_settings;
  TopicManagement manage_topics = TopicManagement::create;
  // Bounds each request of topic management (metadata, configs, creation).
  std::chrono::milliseconds admin_timeout{10000};
  std::string key_template = "{device}";
  std::map<std::string, std::string> properties;  // passed to librdkafka as they are
  // Properties that load code or run commands, which are refused unless listed here.
  std::vector<std::string> allowed_unsafe_properties;
  std::size_t max_in_flight = 20000;  // produced but not yet acknowledged
  KafkaDelivery delivery = KafkaDelivery::at_least_once;
  // exactly_once only. Empty in a parsed config never: the loader fills in
  // "edgegw-<gateway id>".
  std::string transactional_id;
  std::string offsets_topic = "edgegw.offsets";
  std::size_t transaction_max_records = 5000;
  std::chrono::milliseconds transaction_interval{100};  // gathers records between commits
  std::chrono::milliseconds transaction_timeout{30000};

  bool operator==(const KafkaConfig&) const = default;  // a reload compares them
};

struct HttpConfig {
  bool enabled = true;
  std::string listen = "127.0.0.1:8787";
  // From a connection's first byte of a request to its last header line, and for sending
  // the answer: a client slower than this (slowloris) is closed.
  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds keep_alive_timeout{5000};  // idle between requests
  int max_connections = 32;  // when full, the longest waiting without a request is closed
  std::string token;         // resolved from token / token_env / token_file; empty: no auth

  bool operator==(const HttpConfig&) const = default;  // a reload compares them
};

struct GatewayConfig {
  std::filesystem::path source;  // the file it came from, for messages
  std::string gateway_id;
  MqttConfig mqtt;
  std::vector<MappingConfig> mappings;
  KafkaConfig kafka;
  store::LogConfig buffer;
  HttpConfig http;
  analytics::AnalyticsConfig analytics;
  std::vector<analytics::MaintenanceConfig> maintenance;  // analytics.maintenance
  MetadataConfig metadata;
  // The devices of metadata.file, loaded with the config (and so again at each reload);
  // null without a metadata file.
  std::shared_ptr<const DeviceMetadataTable> device_metadata;
  // What the config leaves open (clear-text credentials, verification off, secrets
  // readable by others), as file:line: key: warning; logged at start, and fatal to
  // `check-config --strict`.
  std::vector<std::string> security_warnings;
};

}  // namespace edgegw
