#include "forward/forwarder.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "edgegw/clock.hpp"
#include "forward/loss_report.hpp"
#include "records/analytics_encoding.hpp"

namespace edgegw::forward {
namespace {

using kafka::KafkaErrc;

constexpr std::size_t kMaxBatchRecords = 1024;
constexpr std::size_t kMaxBatchBytes = 4U << 20U;
constexpr std::uint64_t kSmallBatchRecords = 16;
constexpr auto kGatherPause = std::chrono::milliseconds(1);
constexpr auto kRetryWait = std::chrono::milliseconds(100);

}  // namespace

Forwarder::Forwarder(const KafkaConfig& config, std::string gateway_id, store::DurableLog& log,
                     kafka::KafkaProducer& producer, std::chrono::milliseconds commit_interval)
    : config_(config),
      gateway_id_(std::move(gateway_id)),
      log_(log),
      producer_(producer),
      commit_interval_(commit_interval),
      health_(gateway_id_, kHealthQuiet, kHealthUpdateEvery) {}

Forwarder::~Forwarder() {
  if (thread_.joinable()) {
    stop(std::chrono::milliseconds(0));
  }
}

void Forwarder::start() {
  next_read_ = log_.cursor();
  committed_ = next_read_;
  tracker_ = AckTracker(next_read_);
  last_commit_ = std::chrono::steady_clock::now();
  probe_.committed_offset = committed_;
  thread_ = std::thread([this] { run(); });
}

void Forwarder::stop(std::chrono::milliseconds flush_timeout) {
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
  const bool flushed = producer_.flush(flush_timeout, *this);
  commit_if_due(/*force=*/true);
  if (!flushed || tracker_.in_flight() > 0) {
    spdlog::warn(
        "Forwarder stopped with records still in flight; they stay in the log and are "
        "sent again at the next start. in_flight={} cursor={}",
        tracker_.in_flight(), committed_);
  }
}

void Forwarder::run() {
  // Named in top -H and perf, beside Paho's and librdkafka's threads.
  pthread_setname_np(pthread_self(), "forwarder");
  while (!stopping_) {
    send_kept();
    const std::uint64_t read_before = next_read_;
    const bool forwarded = forward_batch();
    producer_.poll(std::chrono::milliseconds(0), *this);
    commit_if_due(false);
    check_log_health();
    if (forwarded && next_read_ - read_before < kSmallBatchRecords) {
      // Keeping up record by record, the forwarder would be woken by every append: a
      // futex wake and two context switches per message, more CPU than forwarding it.
      // A pause (not a wait, which the writer would end at once) lets records gather;
      // librdkafka lingers 5 ms before sending anyway.
      std::this_thread::sleep_for(kGatherPause);
    }
    if (!forwarded) {
      // Nothing to send (caught up, or the in-flight bound reached during an outage):
      // sleep until a record arrives, waking now and then for delivery reports.
      const auto wait =
          tracker_.in_flight() > 0 ? std::chrono::milliseconds(5) : std::chrono::milliseconds(100);
      if (tracker_.in_flight() >= config_.max_in_flight || !kept_.empty()) {
        producer_.poll(wait, *this);
      } else {
        log_.wait_for_records(next_read_, wait);
      }
    }
  }
}

bool Forwarder::forward_batch() {
  if (tracker_.in_flight() >= config_.max_in_flight || !kept_.empty()) {
    return false;
  }
  const std::size_t room = std::min(kMaxBatchRecords, config_.max_in_flight - tracker_.in_flight());
  if (Status read = log_.read_into(next_read_, room, kMaxBatchBytes, batch_); !read) {
    ++probe_.read_errors;
    spdlog::error("Forwarder cannot read the log; retrying. offset={} error={}", next_read_,
                  read.error().message);
    return false;
  }
  for (store::DamageReport damage : batch_.damage) {
    if (damage.reason == store::DamageReason::dropped_oldest && damage.first_offset < next_read_) {
      // Records below next_read_ are with the producer already, which delivers them
      // whatever becomes of their segment: they are not lost.
      if (damage.last_offset < next_read_) {
        continue;
      }
      damage.lost_records = std::min(damage.lost_records, damage.last_offset - next_read_ + 1);
      damage.first_offset = next_read_;
    }
    produce_loss(damage);
  }
  for (const store::LogRecord& record : batch_.records) {
    if (!produce_record(record) || stopping_) {
      return false;  // the rest stays in the log for the next start
    }
  }
  if (batch_.next_offset < log_.end_offset()) {
    draining_backlog_ = true;  // more was waiting than one read takes
  }
  tracker_.skipped_to(batch_.next_offset);
  next_read_ = std::max(next_read_, batch_.next_offset);
  probe_.in_flight = tracker_.in_flight();
  return !batch_.records.empty() || !batch_.damage.empty();
}

// Produces one log record, waiting while the producer's queue is full. Returns false
// when the record was left in the log (stopping): nothing after it may be produced.
bool Forwarder::produce_record(const store::LogRecord& record) {
  const std::string& topic = config_.topics.at(record.stream);
  while (true) {
    const kafka::ProduceResult result =
        send(topic, record.key, record.payload, record.append_time_ms, record.offset);
    if (result.errc == KafkaErrc::ok || result.errc == KafkaErrc::rejected) {
      tracker_.produced(record.offset);
      next_read_ = record.offset + 1;
      if (result) {
        ++probe_.produced.at(static_cast<std::size_t>(record.stream));
      } else {
        // A malformed request (e.g. larger than message.max.bytes) can never be sent:
        // report it on the dead-letter stream rather than block every record behind it.
        give_up(record.offset, topic, result.detail);
      }
      return true;
    }
    if (stopping_) {
      return false;
    }
    producer_.poll(kRetryWait, *this);  // the queue is full, or the producer unwell
  }
}

kafka::ProduceResult Forwarder::send(std::string_view topic, std::string_view key,
                                     std::string_view value, std::int64_t timestamp_ms,
                                     std::uint64_t tag) {
  kafka::KafkaMessage message;
  message.topic = topic;
  message.key = key;
  message.value = value;
  message.timestamp_ms = timestamp_ms;
  message.tag = tag;
  message.headers[0] = {kGatewayHeader, gateway_id_};
  // A record of the gateway's own (not from the log) has no offset header.
  const std::string offset_text = tag == kNotALogRecord ? std::string() : std::to_string(tag);
  if (tag != kNotALogRecord) {
    message.headers[1] = {kOffsetHeader, offset_text};
  }
  return producer_.produce(message);
}

// Produces `resend` after anything kept before it, or keeps it for send_kept().
void Forwarder::send_or_keep(Resend resend) {
  kept_.push_back(std::move(resend));
  send_kept();
}

// Produces what the producer could not take before, oldest first, until it refuses.
// A record is off the queue before it is given up: giving up produces a loss report,
// which comes back here.
void Forwarder::send_kept() {
  while (!kept_.empty()) {
    const Resend& front = kept_.front();
    const kafka::ProduceResult result =
        send(front.topic, front.key, front.value, front.timestamp_ms, front.tag);
    if (result.errc != KafkaErrc::ok && result.errc != KafkaErrc::rejected) {
      return;
    }
    const Resend done = std::move(kept_.front());
    kept_.pop_front();
    if (result.errc == KafkaErrc::rejected) {
      give_up(done.tag, done.topic, result.detail);
    }
  }
}

// A record Kafka will never take: reported lost on the dead-letter stream, and no
// longer waited for.
void Forwarder::give_up(std::uint64_t tag, std::string_view topic, std::string_view why) {
  ++probe_.delivery_failures;
  if (tag == kNotALogRecord) {
    spdlog::error("Kafka refused a record of the gateway's own for good. topic={} error={}", topic,
                  why);
    return;
  }
  spdlog::error(
      "Kafka refused a record for good; it is reported on the dead-letter stream. "
      "topic={} offset={} error={}",
      topic, tag, why);
  tracker_.acknowledged(tag);
  produce_loss(rejected_by_kafka(tag, why));
}

void Forwarder::produce_loss(const store::DamageReport& damage) {
  ++probe_.loss_reports;
  produce_gateway_record(Stream::dead_letter, loss_report_record(damage, gateway_id_));
}

// A record of the gateway's own (not from the log), keyed by the gateway id. It has no
// place in the log, so a full queue keeps it in memory until the producer takes it.
void Forwarder::produce_gateway_record(Stream stream, const std::string& payload) {
  send_or_keep({config_.topics.at(stream), gateway_id_, payload, 0, kNotALogRecord});
}

void Forwarder::check_log_health() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_health_check_ < kHealthCheckInterval) {
    return;
  }
  last_health_check_ = now;
  for (const analytics::Alert& alert : health_.observe(log_.stats(), wall_clock_ms())) {
    produce_health_alert(alert);
  }
}

// Straight to Kafka, not through the log: the log is what is in trouble. The producer
// holds it through an outage like any other message (message.timeout.ms=0).
void Forwarder::produce_health_alert(const analytics::Alert& alert) {
  spdlog::log(
      alert.state == analytics::AlertState::cleared ? spdlog::level::info : spdlog::level::warn,
      "Gateway health alert {}. source={} message=\"{}\"", analytics::alert_state_name(alert.state),
      alert.source, alert.message);
  produce_gateway_record(Stream::alerts, records::encode_alert(alert, gateway_id_));
}

// The stream whose topic `topic` is (the first, when the config gives two streams one
// topic). Five comparisons per acknowledgement: cheaper than carrying the stream along.
std::size_t Forwarder::stream_index_of(std::string_view topic) const {
  for (const auto& [stream, name] : config_.topics) {
    if (name == topic) {
      return static_cast<std::size_t>(stream);
    }
  }
  return static_cast<std::size_t>(Stream::telemetry);  // unreachable: every topic is one
}

void Forwarder::on_delivery(const kafka::DeliveryReport& report) {
  const std::uint64_t tag = report.message.tag;
  switch (report.errc) {
    case KafkaErrc::ok:
      probe_.brokers_down = false;
      if (tag != kNotALogRecord && tracker_.acknowledged(tag)) {
        ++probe_.delivered.at(stream_index_of(report.message.topic));
      }
      probe_.in_flight = tracker_.in_flight();
      return;
    case KafkaErrc::rejected:
      give_up(tag, report.message.topic, report.detail);
      return;
    case KafkaErrc::timed_out:
    case KafkaErrc::queue_full:
      if (!stopping_) {
        // A message.timeout.ms the user set ran out: produce it again.
        ++probe_.delivery_retries;
        send_or_keep({std::string(report.message.topic), std::string(report.message.key),
                      std::string(report.message.value), report.message.timestamp_ms, tag});
        return;
      }
      [[fallthrough]];
    case KafkaErrc::retriable:
      // Not delivered, and not sent again now: the record stays in flight, so the
      // cursor stops before it and the next start sends it again.
      spdlog::debug("Record not delivered; it stays in the log. offset={} error={}", tag,
                    report.detail);
      return;
  }
}

void Forwarder::on_brokers_down() {
  probe_.brokers_down = true;
}

void Forwarder::commit_if_due(bool force) {
  const std::uint64_t committable = tracker_.committable();
  const auto now = std::chrono::steady_clock::now();
  // A backlog (after an outage, or at start) is committed as soon as all of it is
  // acknowledged, not at the next interval, so that a crash then resends none of it. Live
  // records are read to the log's end as they come, never set draining_backlog_, and keep
  // to the interval: their cursor is written (and synced) at most 5 times a second.
  const bool backlog_done = draining_backlog_ && tracker_.in_flight() == 0;
  if (backlog_done && next_read_ >= log_.end_offset()) {
    draining_backlog_ = false;
  }
  if (committable == committed_ ||
      (!force && !backlog_done && now - last_commit_ < commit_interval_)) {
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
