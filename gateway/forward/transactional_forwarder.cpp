#include "forward/transactional_forwarder.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "edgegw/clock.hpp"
#include "forward/cursor_record.hpp"
#include "forward/loss_report.hpp"
#include "records/analytics_encoding.hpp"

namespace edgegw::forward {
namespace {

using kafka::KafkaErrc;
using kafka::TxnErrc;

constexpr std::size_t kMaxRangeBytes = 16U << 20U;
constexpr auto kIdleWait = std::chrono::milliseconds(100);
constexpr auto kQueueFullWait = std::chrono::milliseconds(50);
constexpr auto kDeliveryWait = std::chrono::milliseconds(200);
constexpr auto kRetryPause = std::chrono::seconds(1);
// Bounds each attempt at start (registering, reading the cursor back), which are
// retried until they succeed: a stop waits for one attempt at most.
constexpr auto kStartAttemptTimeout = std::chrono::milliseconds(5000);

const char* start_source_text(StartPoint::Source source) {
  switch (source) {
    case StartPoint::Source::kafka:
      return "the cursor committed in Kafka";
    case StartPoint::Source::local:
      return "the log's cursor (no cursor committed in Kafka yet)";
    case StartPoint::Source::local_ahead:
      return "the log's cursor, ahead of Kafka's (records were sent at least once since)";
    case StartPoint::Source::log_replaced:
      return "the log's cursor: Kafka's lies beyond the log's end, so the buffer is not the "
             "one it was committed from; records may be sent twice";
  }
  return "";
}

}  // namespace

TransactionalForwarder::TransactionalForwarder(const KafkaConfig& config, std::string gateway_id,
                                               store::DurableLog& log,
                                               kafka::KafkaProducer& producer,
                                               kafka::KafkaTransactions& transactions,
                                               kafka::CommittedRecordReader& reader)
    : config_(config),
      gateway_id_(std::move(gateway_id)),
      log_(log),
      producer_(producer),
      transactions_(transactions),
      reader_(reader),
      health_(gateway_id_, kHealthQuiet, kHealthUpdateEvery) {}

TransactionalForwarder::~TransactionalForwarder() {
  if (thread_.joinable()) {
    stop(std::chrono::milliseconds(0));
  }
}

void TransactionalForwarder::start() {
  next_read_ = log_.cursor();
  probe_.committed_offset = next_read_;
  run_id_ = std::to_string(wall_clock_ms());
  thread_ = std::thread([this] { run(); });
}

void TransactionalForwarder::stop(std::chrono::milliseconds flush_timeout) {
  flush_timeout_ms_ = flush_timeout.count();
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
}

void TransactionalForwarder::run() {
  // Named in top -H and perf, beside Paho's and librdkafka's threads.
  pthread_setname_np(pthread_self(), "forwarder");
  if (!recover()) {
    return;
  }
  while (!stopping_) {
    pace();
    check_log_health();
    if (forward_range() == Step::stop) {
      return;
    }
  }
}

// Registers the transactional id and finds where the previous run's last committed
// transaction ended. Waits out an unreachable cluster; false when stopping or fenced.
bool TransactionalForwarder::recover() {
  std::optional<std::uint64_t> kafka_cursor;
  if (!init_transactions() || !read_committed_cursor(kafka_cursor)) {
    return false;
  }
  const StartPoint start = choose_start(kafka_cursor, log_.cursor(), log_.end_offset());
  spdlog::log(
      start.source == StartPoint::Source::log_replaced ? spdlog::level::err : spdlog::level::info,
      "Exactly-once forwarding starts at log offset {}, from {}. transactional_id={}", start.offset,
      start_source_text(start.source), config_.transactional_id);
  if (start.offset > log_.cursor()) {
    // A crash came between Kafka's commit and the log's: catch the log up.
    if (const Status status = log_.commit(start.offset); !status) {
      ++probe_.commit_errors;
      spdlog::error("Cannot save the log cursor. offset={} error={}", start.offset,
                    status.error().message);
    }
  }
  next_read_ = start.offset;
  probe_.committed_offset = next_read_;
  return true;
}

bool TransactionalForwarder::init_transactions() {
  while (!stopping_) {
    const kafka::TxnResult result =
        transactions_.init(std::min(config_.transaction_timeout, kStartAttemptTimeout));
    if (result) {
      return true;
    }
    if (result.errc == TxnErrc::fatal) {
      stop_fatally(result, "registering the transactional id");
      return false;
    }
    probe_.brokers_down = true;
    spdlog::warn(
        "Cannot register the transactional id with Kafka yet; retrying. "
        "transactional_id={} error={}",
        config_.transactional_id, result.detail);
    pause(kRetryPause);
  }
  return false;
}

bool TransactionalForwarder::read_committed_cursor(std::optional<std::uint64_t>& cursor) {
  while (!stopping_) {
    const kafka::CommittedRecordReader::Outcome outcome = reader_.read_last(
        config_.offsets_topic, config_.transactional_id, config_.transaction_timeout);
    if (!outcome.complete) {
      spdlog::warn("Cannot read the committed cursor from Kafka yet; retrying. topic={} error={}",
                   config_.offsets_topic, outcome.detail);
      pause(kRetryPause);
      continue;
    }
    if (!outcome.found) {
      return true;
    }
    std::string why;
    const std::optional<CursorRecord> record = decode_cursor_record(outcome.value, why);
    if (!record) {
      // Guessing a position would lose or repeat records: an operator must look.
      probe_.transactions_stopped = true;
      spdlog::critical(
          "The cursor record in Kafka cannot be read ({}); forwarding stopped, records stay "
          "in the log. topic={} key={}",
          why, config_.offsets_topic, config_.transactional_id);
      return false;
    }
    cursor = record->next_offset;
    return true;
  }
  return false;
}

// Lets records gather between transactions: each costs a commit round trip, so small
// ones cost throughput. A full range does not wait.
void TransactionalForwarder::pace() {
  const auto since = std::chrono::steady_clock::now() - last_begin_;
  const bool full_range = log_.end_offset() - next_read_ >= config_.transaction_max_records;
  if (since < config_.transaction_interval && !full_range) {
    pause(std::chrono::duration_cast<std::chrono::milliseconds>(config_.transaction_interval -
                                                                since));
  }
}

TransactionalForwarder::Step TransactionalForwarder::forward_range() {
  if (Status read =
          log_.read_into(next_read_, config_.transaction_max_records, kMaxRangeBytes, range_);
      !read) {
    ++probe_.read_errors;
    spdlog::error("Forwarder cannot read the log; retrying. offset={} error={}", next_read_,
                  read.error().message);
    pause(kRetryPause);
    return Step::again;
  }
  const store::ReadBatch& batch = range_;
  range_losses_.clear();
  for (const store::DamageReport& damage : batch.damage) {
    report_loss(damage);
  }
  if (batch.records.empty() && health_records_.empty() && batch.next_offset == next_read_) {
    log_.wait_for_records(next_read_, kIdleWait);
    return Step::again;
  }
  last_begin_ = std::chrono::steady_clock::now();
  transaction_ = fmt::format("{}-{}", run_id_, ++transaction_count_);
  if (const kafka::TxnResult begun = transactions_.begin(); !begun) {
    if (begun.errc == TxnErrc::fatal) {
      stop_fatally(begun, "beginning a transaction");
      return Step::stop;
    }
    abort(begun.detail);
    return Step::again;
  }
  delivery_failed_ = false;
  if (!produce_range(batch) || !wait_delivered()) {
    abort(stopping_ ? "stopping" : delivery_failure_);
    return Step::again;
  }
  const std::string cursor = encode_cursor_record({batch.next_offset, transaction_});
  if (!produce(config_.offsets_topic, config_.transactional_id, cursor, 0, kNotALogRecord) ||
      !wait_delivered()) {
    abort(stopping_ ? "stopping" : delivery_failure_);
    return Step::again;
  }
  return commit(batch.next_offset);
}

bool TransactionalForwarder::produce_range(const store::ReadBatch& batch) {
  range_records_.fill(0);
  for (const store::LogRecord& record : batch.records) {
    if (!produce(config_.topics.at(record.stream), record.key, record.payload,
                 record.append_time_ms, record.offset)) {
      return false;
    }
    ++probe_.produced.at(static_cast<std::size_t>(record.stream));
    ++range_records_.at(static_cast<std::size_t>(record.stream));
  }
  // After the records: producing them may have found one Kafka never takes.
  for (const std::vector<GatewayRecord>* list : {&health_records_, &range_losses_}) {
    for (const GatewayRecord& record : *list) {
      if (!produce(config_.topics.at(record.stream), gateway_id_, record.payload, 0,
                   kNotALogRecord)) {
        return false;
      }
    }
  }
  return true;
}

// Produces one message into the open transaction, waiting while the client's queue is
// full. False when it cannot be sent in this transaction (stopping, or refused).
bool TransactionalForwarder::produce(const std::string& topic, std::string_view key,
                                     std::string_view value, std::int64_t timestamp_ms,
                                     std::uint64_t offset) {
  kafka::KafkaMessage message;
  message.topic = topic;
  message.key = key;
  message.value = value;
  message.timestamp_ms = timestamp_ms;
  message.tag = offset;
  message.headers[0] = {kGatewayHeader, gateway_id_};
  message.headers[1] = {kTransactionHeader, transaction_};
  const std::string offset_text = offset == kNotALogRecord ? "" : std::to_string(offset);
  if (offset != kNotALogRecord) {
    message.headers[2] = {kOffsetHeader, offset_text};
  }
  while (!stopping_) {
    const kafka::ProduceResult result = producer_.produce(message);
    if (result) {
      return true;
    }
    if (result.errc != KafkaErrc::queue_full) {
      // A record Kafka can never take (too large) would fail every transaction of its
      // range: it is reported on the dead-letter stream instead, like in at_least_once.
      if (result.errc == KafkaErrc::rejected && offset != kNotALogRecord) {
        ++probe_.delivery_failures;
        spdlog::error("Kafka refused a record for good. topic={} offset={} error={}", topic, offset,
                      result.detail);
        report_loss(rejected_by_kafka(offset, result.detail));
        return true;
      }
      delivery_failure_ = std::string(result.detail);
      return false;
    }
    producer_.poll(kQueueFullWait, *this);
  }
  return false;
}

// Waits until Kafka reported on every message of the open transaction. False when one
// failed (the transaction must abort) or when stopping ends the wait.
bool TransactionalForwarder::wait_delivered() {
  while (!producer_.flush(kDeliveryWait, *this)) {
    if (stopping_) {
      return false;
    }
  }
  return !delivery_failed_;
}

TransactionalForwarder::Step TransactionalForwarder::commit(std::uint64_t next_offset) {
  while (true) {
    const kafka::TxnResult result = transactions_.commit(call_timeout());
    if (result) {
      break;
    }
    if (result.errc == TxnErrc::fatal) {
      stop_fatally(result, "committing a transaction");
      return Step::stop;
    }
    if (result.errc == TxnErrc::abortable || stopping_) {
      abort(result.detail);
      return Step::again;
    }
    spdlog::warn("Committing a transaction failed; retrying. error={}", result.detail);
    pause(kRetryPause);
  }
  ++probe_.transactions_committed;
  for (std::size_t i = 0; i < kStreamCount; ++i) {
    probe_.delivered.at(i) += range_records_.at(i);
  }
  probe_.brokers_down = false;
  probe_.loss_reports += range_losses_.size();
  health_records_.clear();
  range_losses_.clear();
  next_read_ = next_offset;
  if (const Status status = log_.commit(next_offset); !status) {
    // Harmless for delivery: Kafka's cursor rules at the next start.
    ++probe_.commit_errors;
    spdlog::error("Cannot save the log cursor. offset={} error={}", next_offset,
                  status.error().message);
  }
  probe_.committed_offset = next_offset;
  return Step::done;
}

// Aborts the open transaction; its range (and the gateway's own records) go again in
// the next one.
void TransactionalForwarder::abort(std::string_view why) {
  ++probe_.transactions_aborted;
  if (!stopping_) {
    spdlog::warn("Kafka transaction aborted; its records are sent again. transaction={} error={}",
                 transaction_, why);
  }
  while (true) {
    const kafka::TxnResult result = transactions_.abort(call_timeout());
    if (result) {
      return;
    }
    if (result.errc == TxnErrc::fatal) {
      stop_fatally(result, "aborting a transaction");
      return;
    }
    if (result.errc != TxnErrc::retriable) {
      // No transaction to abort (a begin that failed): the next begin starts afresh.
      spdlog::debug("Nothing to abort. error={}", result.detail);
      return;
    }
    if (stopping_) {
      // The next start's registration aborts it: nothing of it becomes visible.
      return;
    }
    pause(kRetryPause);
  }
}

void TransactionalForwarder::stop_fatally(const kafka::TxnResult& result, std::string_view during) {
  probe_.transactions_stopped = true;
  spdlog::critical(
      "Kafka refused this gateway's transactions for good while {}; forwarding stopped, "
      "records stay in the log. Another producer with the same transactional id fences "
      "this one: each gateway needs its own kafka.transactional_id. Restart the gateway "
      "once that is fixed. transactional_id={} error={}",
      during, config_.transactional_id, result.detail);
  stopping_ = true;
}

void TransactionalForwarder::report_loss(const store::DamageReport& damage) {
  range_losses_.push_back({Stream::dead_letter, loss_report_record(damage, gateway_id_)});
}

void TransactionalForwarder::check_log_health() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_health_check_ < kHealthCheckInterval) {
    return;
  }
  last_health_check_ = now;
  for (const analytics::Alert& alert : health_.observe(log_.stats(), wall_clock_ms())) {
    health_records_.push_back({Stream::alerts, records::encode_alert(alert, gateway_id_)});
  }
}

void TransactionalForwarder::on_delivery(const kafka::DeliveryReport& report) {
  if (report.errc == KafkaErrc::ok) {
    probe_.brokers_down = false;
    return;
  }
  delivery_failed_ = true;
  delivery_failure_ = std::string(report.detail);
}

void TransactionalForwarder::on_brokers_down() {
  probe_.brokers_down = true;
}

// Bounds a commit or abort: the transaction timeout, or what is left of the flush
// timeout when stopping.
std::chrono::milliseconds TransactionalForwarder::call_timeout() const {
  if (stopping_) {
    return std::chrono::milliseconds(std::max<std::int64_t>(flush_timeout_ms_, 100));
  }
  return config_.transaction_timeout;
}

void TransactionalForwarder::pause(std::chrono::milliseconds duration) const {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stopping_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(
        std::min<std::chrono::milliseconds>(duration, std::chrono::milliseconds(20)));
  }
}

}  // namespace edgegw::forward
