#include "forward/forwarder.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "forward/analytics_encoding.hpp"
#include "kafka/kafka_conf.hpp"
#include "kafka/produce.hpp"
#include "records/dead_letter_record.hpp"

namespace edgegw::forward {
namespace {

constexpr const char* kGatewayHeader = "edgegw-gateway";
constexpr const char* kOffsetHeader = "edgegw-offset";
// Delivery reports for loss reports (which are not log records) carry this instead of
// an offset.
constexpr std::uintptr_t kNotALogRecord = UINTPTR_MAX;
constexpr std::size_t kMaxBatchRecords = 1024;
constexpr std::size_t kMaxBatchBytes = 4U << 20U;
constexpr auto kCommitInterval = std::chrono::milliseconds(200);
constexpr auto kHealthCheckInterval = std::chrono::seconds(1);
constexpr auto kHealthQuiet = std::chrono::minutes(5);  // no loss for this long: cleared
constexpr auto kHealthUpdateEvery = std::chrono::seconds(30);

store::DamageReport one_record_lost(std::uint64_t offset, const char* reason) {
  store::DamageReport report;
  report.first_offset = offset;
  report.last_offset = offset;
  report.lost_records = 1;
  report.reason = reason;
  return report;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The properties the gateway's guarantees rest on, then the user's pass-through map.
std::map<std::string, std::string> producer_properties(const KafkaConfig& config,
                                                       const std::string& gateway_id) {
  std::map<std::string, std::string> props = {
      {"client.id", "edgegw-" + gateway_id},
      // Hold messages through an outage of any length: the log bounds what is in flight.
      {"message.timeout.ms", "0"},
      {"linger.ms", "5"},
      {"compression.type", "lz4"},
  };
  for (const auto& [name, value] : config.properties) {
    props[name] = value;
  }
  props["bootstrap.servers"] = config.bootstrap_servers;
  props["enable.idempotence"] = "true";     // no reordering or duplicates on retries
  props["partitioner"] = "murmur2_random";  // same partition as Java/Kafka Streams clients
  return props;
}

}  // namespace

Forwarder::Forwarder(const KafkaConfig& config, std::string gateway_id, store::DurableLog& log)
    : config_(config),
      gateway_id_(std::move(gateway_id)),
      log_(log),
      health_(gateway_id_, kHealthQuiet, kHealthUpdateEvery) {
  kafka::KafkaConf conf = kafka::make_conf(producer_properties(config_, gateway_id_));
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Forwarder::on_delivery);
  rd_kafka_conf_set_error_cb(conf.get(), &Forwarder::on_error);
  rd_kafka_conf_set_log_cb(conf.get(), &Forwarder::on_log);
  producer_ = kafka::make_client(RD_KAFKA_PRODUCER, std::move(conf));
}

Forwarder::~Forwarder() {
  if (thread_.joinable()) {
    stop(std::chrono::milliseconds(0));
  }
}

void Forwarder::start() {
  next_read_ = log_.cursor();
  committed_ = next_read_;
  tracker_ = AckTracker(next_read_);
  probe_.committed_offset = committed_;
  thread_ = std::thread([this] { run(); });
}

void Forwarder::stop(std::chrono::milliseconds flush_timeout) {
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
  const rd_kafka_resp_err_t err =
      rd_kafka_flush(producer_.get(), static_cast<int>(flush_timeout.count()));
  rd_kafka_poll(producer_.get(), 0);  // deliver the last reports to handle_delivery
  commit_if_due(/*force=*/true);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn(
        "Forwarder stopped with records still in flight; they stay in the log and are "
        "sent again at the next start. in_flight={} cursor={}",
        tracker_.in_flight(), committed_);
  }
}

void Forwarder::run() {
  while (!stopping_) {
    const bool forwarded = forward_batch();
    rd_kafka_poll(producer_.get(), 0);
    commit_if_due(false);
    check_log_health();
    if (!forwarded) {
      // Nothing to send (caught up, or the in-flight bound reached during an outage):
      // sleep until a record arrives, waking now and then for delivery reports.
      const auto wait =
          tracker_.in_flight() > 0 ? std::chrono::milliseconds(5) : std::chrono::milliseconds(100);
      if (tracker_.in_flight() >= config_.max_in_flight) {
        rd_kafka_poll(producer_.get(), static_cast<int>(wait.count()));
      } else {
        log_.wait_for_records(next_read_, wait);
      }
    }
  }
}

bool Forwarder::forward_batch() {
  if (tracker_.in_flight() >= config_.max_in_flight) {
    return false;
  }
  const std::size_t room = std::min(kMaxBatchRecords, config_.max_in_flight - tracker_.in_flight());
  Result<store::ReadBatch> batch = log_.read(next_read_, room, kMaxBatchBytes);
  if (!batch) {
    ++probe_.read_errors;
    spdlog::error("Forwarder cannot read the log; retrying. offset={} error={}", next_read_,
                  batch.error().message);
    return false;
  }
  for (store::DamageReport damage : batch.value().damage) {
    if (damage.reason == "dropped_oldest" && damage.first_offset < next_read_) {
      // Records below next_read_ are with librdkafka already, which delivers them
      // whatever becomes of their segment: they are not lost.
      if (damage.last_offset < next_read_) {
        continue;
      }
      damage.lost_records = std::min(damage.lost_records, damage.last_offset - next_read_ + 1);
      damage.first_offset = next_read_;
    }
    produce_loss(damage);
  }
  for (const store::LogRecord& record : batch.value().records) {
    produce_record(record);
    if (stopping_) {
      return false;  // the rest stays in the log for the next start
    }
  }
  tracker_.skipped_to(batch.value().next_offset);
  next_read_ = std::max(next_read_, batch.value().next_offset);
  probe_.in_flight = tracker_.in_flight();
  return !batch.value().records.empty() || !batch.value().damage.empty();
}

void Forwarder::produce_record(const store::LogRecord& record) {
  const std::string& topic = config_.topics.at(record.stream);
  const std::string offset_text = std::to_string(record.offset);
  while (true) {
    kafka::OutgoingMessage message;
    message.topic = topic.c_str();
    message.key = record.key;
    message.value = record.payload;
    message.headers[0] = {kGatewayHeader, gateway_id_};
    message.headers[1] = {kOffsetHeader, offset_text};
    message.timestamp_ms = record.append_time_ms;
    // librdkafka hands the opaque back in the delivery report: it carries the offset.
    message.opaque = reinterpret_cast<void*>(  // NOLINT(performance-no-int-to-ptr)
        static_cast<std::uintptr_t>(record.offset));
    const rd_kafka_resp_err_t err = kafka::produce(producer_.get(), message);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      tracker_.produced(record.offset);
      next_read_ = record.offset + 1;
      ++probe_.produced;
      return;
    }
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || stopping_) {
      // Only a malformed request fails here (e.g. a record larger than message.max.bytes):
      // it can never be sent, so report it on the dead-letter stream rather than block.
      ++probe_.delivery_failures;
      spdlog::error(
          "Record cannot be produced; reporting it on the dead-letter stream. "
          "offset={} topic={} error={}",
          record.offset, topic, rd_kafka_err2str(err));
      produce_loss(one_record_lost(record.offset, rd_kafka_err2str(err)));
      tracker_.skipped_to(record.offset + 1);
      next_read_ = record.offset + 1;
      return;
    }
    rd_kafka_poll(producer_.get(), 100);  // librdkafka's queue is full: let it drain
  }
}

void Forwarder::produce_loss(const store::DamageReport& damage) {
  ++probe_.loss_reports;
  spdlog::error(
      "Records lost from the log are reported on the dead-letter stream. "
      "segment={} bytes={}-{} offsets={}-{} reason={}",
      damage.segment, damage.byte_begin, damage.byte_end, damage.first_offset, damage.last_offset,
      damage.reason);
  std::string detail = fmt::format("segment {} bytes {}-{}: {}", damage.segment, damage.byte_begin,
                                   damage.byte_end, damage.reason);
  if (damage.kept_records > 0) {
    detail += fmt::format(
        "; {} records of the range (alerts, aggregates, predictions) were "
        "kept and sent under new offsets",
        damage.kept_records);
  }
  const std::string payload = records::encode_log_loss(
      damage.reason == "dropped_oldest" ? "log_dropped" : "log_damaged", detail,
      damage.first_offset, damage.last_offset, gateway_id_, now_ms());
  produce_gateway_record(Stream::dead_letter, payload, "the loss report");
}

// A record of the gateway's own (not from the log): keyed by the gateway id, and with no
// offset header, since it has no log offset.
void Forwarder::produce_gateway_record(Stream stream, const std::string& payload,
                                       const char* what) {
  kafka::OutgoingMessage message;
  message.topic = config_.topics.at(stream).c_str();
  message.key = gateway_id_;
  message.value = payload;
  message.headers[0] = {kGatewayHeader, gateway_id_};
  message.opaque = reinterpret_cast<void*>(kNotALogRecord);  // NOLINT(performance-no-int-to-ptr)
  if (const rd_kafka_resp_err_t err = kafka::produce(producer_.get(), message); err) {
    spdlog::error("Could not produce {} on the {} stream. error={}", what, stream_name(stream),
                  rd_kafka_err2str(err));
  }
}

void Forwarder::check_log_health() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_health_check_ < kHealthCheckInterval) {
    return;
  }
  last_health_check_ = now;
  for (const analytics::Alert& alert : health_.observe(log_.stats(), now_ms())) {
    produce_health_alert(alert);
  }
}

// Straight to Kafka, not through the log: the log is what is in trouble. librdkafka
// holds it through an outage like any other message (message.timeout.ms=0).
void Forwarder::produce_health_alert(const analytics::Alert& alert) {
  spdlog::log(
      alert.state == analytics::AlertState::cleared ? spdlog::level::info : spdlog::level::warn,
      "Gateway health alert {}. source={} message=\"{}\"", analytics::alert_state_name(alert.state),
      alert.source, alert.message);
  produce_gateway_record(Stream::alerts, encode_alert(alert, gateway_id_),
                         "the gateway health alert");
}

void Forwarder::on_delivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* msg, void* opaque) {
  try {
    static_cast<Forwarder*>(opaque)->handle_delivery(*msg);
  } catch (const std::exception& e) {
    spdlog::error("Delivery report handling failed: {}", e.what());
  }
}

void Forwarder::handle_delivery(const rd_kafka_message_t& msg) {
  const auto tag = reinterpret_cast<std::uintptr_t>(msg._private);
  if (msg.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    probe_.brokers_down = false;
    if (tag != kNotALogRecord && tracker_.acknowledged(tag)) {
      ++probe_.delivered;
    }
    probe_.in_flight = tracker_.in_flight();
    return;
  }
  // message.timeout.ms=0 means librdkafka retries transient errors itself; what reaches
  // here is either a timeout the user configured or a permanent failure.
  const char* topic = rd_kafka_topic_name(msg.rkt);
  if (msg.err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT && !stopping_) {
    ++probe_.delivery_retries;
    rd_kafka_headers_t* headers = nullptr;
    rd_kafka_message_headers(&msg, &headers);
    kafka::OutgoingMessage message;
    message.topic = topic;
    message.key = {static_cast<const char*>(msg.key), msg.key_len};
    message.value = {static_cast<const char*>(msg.payload), msg.len};
    message.header_list = headers != nullptr ? rd_kafka_headers_copy(headers) : nullptr;
    message.opaque = msg._private;
    kafka::produce(producer_.get(), message);
    return;
  }
  ++probe_.delivery_failures;
  spdlog::error(
      "Kafka refused a record for good; it is reported on the dead-letter stream. "
      "topic={} offset={} error={}",
      topic, tag, rd_kafka_err2str(msg.err));
  if (tag != kNotALogRecord) {
    produce_loss(one_record_lost(tag, rd_kafka_err2str(msg.err)));
    tracker_.acknowledged(tag);
  }
}

void Forwarder::on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<Forwarder*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    self->probe_.brokers_down = true;
    spdlog::warn("All Kafka brokers are unreachable; records wait in the log. reason={}", reason);
    return;
  }
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    std::array<char, 512> detail{};
    rd_kafka_fatal_error(rk, detail.data(), detail.size());
    spdlog::critical("Kafka producer hit a fatal error; records stay in the log. error={}",
                     detail.data());
    return;
  }
  spdlog::debug("Kafka client error (retried by librdkafka). error={} reason={}",
                rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(err)), reason);
}

void Forwarder::on_log(const rd_kafka_t* /*rk*/, int level, const char* facility, const char* buf) {
  // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug
  const auto spd_level = level <= 3   ? spdlog::level::err
                         : level == 4 ? spdlog::level::warn
                         : level <= 6 ? spdlog::level::info
                                      : spdlog::level::debug;
  spdlog::log(spd_level, "librdkafka: {} {}", facility, buf);
}

void Forwarder::commit_if_due(bool force) {
  const std::uint64_t committable = tracker_.committable();
  const auto now = std::chrono::steady_clock::now();
  if (committable == committed_ || (!force && now - last_commit_ < kCommitInterval)) {
    return;
  }
  const Status status = log_.commit(committable);
  if (!status) {
    ++probe_.commit_errors;
    spdlog::error(
        "Cannot save the log cursor; records may be sent again after a restart. "
        "offset={} error={}",
        committable, status.error().message);
    return;
  }
  committed_ = committable;
  last_commit_ = now;
  probe_.committed_offset = committed_;
}

}  // namespace edgegw::forward
