#include "kafka/rdkafka_producer.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <map>

#include "kafka/kafka_conf.hpp"

namespace edgegw::kafka {
namespace {

// The properties the guarantees rest on win over the user's pass-through map; the
// tuning defaults before it lose to it.
std::map<std::string, std::string> producer_properties(const KafkaConfig& config,
                                                       const std::string& gateway_id) {
  std::map<std::string, std::string> props = {
      {"client.id", "edgegw-" + gateway_id},
      {"message.timeout.ms", "0"},
      {"linger.ms", "5"},
      {"compression.type", "lz4"},
  };
  for (const auto& [name, value] : config.properties) {
    props[name] = value;
  }
  props["bootstrap.servers"] = config.bootstrap_servers;
  props["enable.idempotence"] = "true";
  props["partitioner"] = "murmur2_random";
  if (config.delivery == KafkaDelivery::exactly_once) {
    const std::string timeout_ms = std::to_string(config.transaction_timeout.count());
    props["transactional.id"] = config.transactional_id;
    props["transaction.timeout.ms"] = timeout_ms;
    props["message.timeout.ms"] = timeout_ms;
  }
  return props;
}

// Takes ownership of `error` (may be null: success).
TxnResult txn_result(rd_kafka_error_t* error) {
  if (error == nullptr) {
    return {};
  }
  TxnResult result;
  result.detail = rd_kafka_error_string(error);
  if (rd_kafka_error_is_fatal(error)) {
    result.errc = TxnErrc::fatal;
  } else if (rd_kafka_error_txn_requires_abort(error)) {
    result.errc = TxnErrc::abortable;
  } else if (rd_kafka_error_is_retriable(error)) {
    result.errc = TxnErrc::retriable;
  } else {
    // Neither: a call in the wrong state (a bug) or an error librdkafka does not class.
    // Aborting and starting the range again is the safe reaction to both.
    result.errc = TxnErrc::abortable;
  }
  rd_kafka_error_destroy(error);
  return result;
}

KafkaErrc produce_errc(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return KafkaErrc::ok;
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
      return KafkaErrc::queue_full;
    // A topic the cluster does not have yet (an operator may create it) and a producer
    // in a fatal state (a restart clears it) are not the record's fault.
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__FATAL:
    case RD_KAFKA_RESP_ERR__STATE:
      return KafkaErrc::retriable;
    default:  // a malformed request: too large, an invalid argument
      return KafkaErrc::rejected;
  }
}

// With message.timeout.ms=0 librdkafka retries transient errors itself; what reaches a
// delivery report is a timeout the user configured, a purge, or a permanent refusal.
KafkaErrc delivery_errc(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return KafkaErrc::ok;
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
      return KafkaErrc::timed_out;
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
    case RD_KAFKA_RESP_ERR__DESTROY:
    case RD_KAFKA_RESP_ERR__FATAL:
      return KafkaErrc::retriable;
    default:
      return KafkaErrc::rejected;
  }
}

}  // namespace

RdKafkaProducer::RdKafkaProducer(const KafkaConfig& config, const std::string& gateway_id) {
  KafkaConf conf = make_conf(producer_properties(config, gateway_id));
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &RdKafkaProducer::on_delivery);
  rd_kafka_conf_set_error_cb(conf.get(), &RdKafkaProducer::on_error);
  rd_kafka_conf_set_log_cb(conf.get(), &RdKafkaProducer::on_log);
  handle_ = make_client(RD_KAFKA_PRODUCER, std::move(conf));
  if (config.delivery == KafkaDelivery::exactly_once) {
    for (const auto& [stream, topic] : config.topics) {
      topics_.push_back(topic);
    }
    topics_.push_back(config.offsets_topic);
  }
}

ProduceResult RdKafkaProducer::produce(const KafkaMessage& message) {
  std::array<rd_kafka_vu_t, 10> vus{};
  std::size_t n = 0;
  auto next = [&](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    rd_kafka_vu_t& vu = vus.at(n++);
    vu.vtype = type;
    return vu;
  };
  if (rd_kafka_topic_t* topic = topic_handle(message.topic); topic != nullptr) {
    next(RD_KAFKA_VTYPE_RKT).u.rkt = topic;
  } else {  // librdkafka refused the name: produceva reports why
    next(RD_KAFKA_VTYPE_TOPIC).u.cstr = message.topic.data();  // NUL-terminated
  }
  next(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  rd_kafka_vu_t& key = next(RD_KAFKA_VTYPE_KEY);
  key.u.mem.ptr = const_cast<char*>(message.key.data());  // copied by F_COPY, never written
  key.u.mem.size = message.key.size();
  rd_kafka_vu_t& value = next(RD_KAFKA_VTYPE_VALUE);
  value.u.mem.ptr = const_cast<char*>(message.value.data());
  value.u.mem.size = message.value.size();
  for (std::size_t i = 0; i < message.headers.size(); ++i) {
    const KafkaHeader& h = message.headers.at(i);
    if (h.name.empty()) {
      continue;
    }
    rd_kafka_vu_t& header = next(RD_KAFKA_VTYPE_HEADER);
    header.u.header.name = h.name.data();  // NUL-terminated
    header.u.header.val = h.value.data();
    header.u.header.size = static_cast<ssize_t>(h.value.size());
  }
  if (message.timestamp_ms != 0) {
    next(RD_KAFKA_VTYPE_TIMESTAMP).u.i64 = message.timestamp_ms;
  }
  // librdkafka hands the opaque back in the delivery report: it carries the tag.
  next(RD_KAFKA_VTYPE_OPAQUE).u.ptr =
      reinterpret_cast<void*>(static_cast<std::uintptr_t>(message.tag));  // NOLINT
  rd_kafka_error_t* error = rd_kafka_produceva(handle_.get(), vus.data(), n);
  if (error == nullptr) {
    return {};
  }
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  return {produce_errc(code), rd_kafka_err2str(code)};
}

// A topic named by string costs librdkafka a lookup under its topic lock, a reference
// and a strlen per message; the handful of topics a gateway writes keep a handle each.
rd_kafka_topic_t* RdKafkaProducer::topic_handle(std::string_view name) {
  for (const auto& [known, handle] : topic_handles_) {
    if (known == name) {
      return handle.get();
    }
  }
  std::string owned(name);
  TopicHandle handle(rd_kafka_topic_new(handle_.get(), owned.c_str(), nullptr));
  if (!handle) {
    return nullptr;
  }
  return topic_handles_.emplace_back(std::move(owned), std::move(handle)).second.get();
}

void RdKafkaProducer::poll(std::chrono::milliseconds timeout, KafkaProducerEvents& events) {
  events_ = &events;
  rd_kafka_poll(handle_.get(), static_cast<int>(timeout.count()));
  events_ = nullptr;
}

bool RdKafkaProducer::flush(std::chrono::milliseconds timeout, KafkaProducerEvents& events) {
  events_ = &events;
  const rd_kafka_resp_err_t err = rd_kafka_flush(handle_.get(), static_cast<int>(timeout.count()));
  rd_kafka_poll(handle_.get(), 0);  // the reports flush left queued
  events_ = nullptr;
  return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

TxnResult RdKafkaProducer::init(std::chrono::milliseconds timeout) {
  TxnResult result =
      txn_result(rd_kafka_init_transactions(handle_.get(), static_cast<int>(timeout.count())));
  if (result) {
    learn_topics(timeout);
  }
  return result;
}

// librdkafka 2.0.2 adds a partition to a transaction only once it knows the partition's
// leader; a topic first met inside a transaction costs about a second per topic waiting
// for metadata (measured against the mock cluster: the first transaction took 2 s, the
// next ones 60 ms). Asking for every topic's metadata right after registering removes
// that wait. Failures do not matter: the transaction then learns the topics itself.
void RdKafkaProducer::learn_topics(std::chrono::milliseconds timeout) {
  for (const std::string& name : topics_) {
    rd_kafka_topic_t* topic = topic_handle(name);  // kept for the produces that follow
    const rd_kafka_metadata_t* metadata = nullptr;
    if (topic != nullptr &&
        rd_kafka_metadata(handle_.get(), 0, topic, &metadata, static_cast<int>(timeout.count())) ==
            RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(metadata);
    }
  }
}

TxnResult RdKafkaProducer::begin() {
  return txn_result(rd_kafka_begin_transaction(handle_.get()));
}

TxnResult RdKafkaProducer::commit(std::chrono::milliseconds timeout) {
  return txn_result(rd_kafka_commit_transaction(handle_.get(), static_cast<int>(timeout.count())));
}

TxnResult RdKafkaProducer::abort(std::chrono::milliseconds timeout) {
  return txn_result(rd_kafka_abort_transaction(handle_.get(), static_cast<int>(timeout.count())));
}

void RdKafkaProducer::on_delivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* msg, void* opaque) {
  auto* self = static_cast<RdKafkaProducer*>(opaque);
  if (self->events_ == nullptr) {
    return;  // served by rd_kafka_destroy: nobody is listening, the log keeps the record
  }
  DeliveryReport report;
  report.errc = delivery_errc(msg->err);
  report.detail = rd_kafka_err2str(msg->err);
  report.message.topic = rd_kafka_topic_name(msg->rkt);
  report.message.key = {static_cast<const char*>(msg->key), msg->key_len};
  report.message.value = {static_cast<const char*>(msg->payload), msg->len};
  report.message.timestamp_ms = rd_kafka_message_timestamp(msg, nullptr);
  report.message.tag = reinterpret_cast<std::uintptr_t>(msg->_private);
  try {
    self->events_->on_delivery(report);
  } catch (const std::exception& e) {
    spdlog::error("Delivery report handling failed: {}", e.what());
  }
}

void RdKafkaProducer::on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<RdKafkaProducer*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    spdlog::warn("All Kafka brokers are unreachable; records wait in the log. reason={}", reason);
    if (self->events_ != nullptr) {
      self->events_->on_brokers_down();
    }
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

void RdKafkaProducer::on_log(const rd_kafka_t* /*rk*/, int level, const char* facility,
                             const char* buf) {
  // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug
  const auto spd_level = level <= 3   ? spdlog::level::err
                         : level == 4 ? spdlog::level::warn
                         : level <= 6 ? spdlog::level::info
                                      : spdlog::level::debug;
  spdlog::log(spd_level, "librdkafka: {} {}", facility, buf);
}

}  // namespace edgegw::kafka
