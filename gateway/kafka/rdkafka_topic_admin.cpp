#include "kafka/rdkafka_topic_admin.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <memory>

#include "kafka/kafka_conf.hpp"

namespace edgegw::kafka {
namespace {

struct AdminDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const {
    rd_kafka_AdminOptions_destroy(options);
  }
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
  void operator()(rd_kafka_NewTopic_t* topic) const { rd_kafka_NewTopic_destroy(topic); }
  void operator()(rd_kafka_ConfigResource_t* resource) const {
    rd_kafka_ConfigResource_destroy(resource);
  }
  void operator()(const rd_kafka_metadata_t* metadata) const {
    rd_kafka_metadata_destroy(metadata);
  }
};

template <typename T>
using AdminPtr = std::unique_ptr<T, AdminDeleter>;

// The admin client's own lines are detail: the answers carry what went wrong.
void log_to_debug(const rd_kafka_t* /*rk*/, int /*level*/, const char* facility, const char* buf) {
  spdlog::debug("librdkafka (topic admin): {} {}", facility, buf);
}

// Bounds both the request and (for a creation) the broker's wait for it to complete.
AdminPtr<rd_kafka_AdminOptions_t> admin_options(rd_kafka_t* client, rd_kafka_admin_op_t op,
                                                std::chrono::milliseconds timeout, int broker) {
  AdminPtr<rd_kafka_AdminOptions_t> options(rd_kafka_AdminOptions_new(client, op));
  std::array<char, 512> error{};
  const int ms = static_cast<int>(timeout.count());
  rd_kafka_AdminOptions_set_request_timeout(options.get(), ms, error.data(), error.size());
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS) {
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), ms, error.data(), error.size());
  }
  if (broker >= 0) {
    rd_kafka_AdminOptions_set_broker(options.get(), broker, error.data(), error.size());
  }
  return options;
}

// librdkafka ends a request itself after its timeout; the margin only covers its
// bookkeeping, so that a lost answer cannot hold the caller longer than that.
AdminPtr<rd_kafka_event_t> wait_for(rd_kafka_queue_t* queue, std::chrono::milliseconds timeout) {
  constexpr std::chrono::milliseconds kMargin{1000};
  return AdminPtr<rd_kafka_event_t>(
      rd_kafka_queue_poll(queue, static_cast<int>((timeout + kMargin).count())));
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  return fmt::format("{:.1f} s", static_cast<double>(timeout.count()) / 1000.0);
}

TopicState topic_state(const rd_kafka_metadata_topic_t& topic) {
  TopicState state;
  state.partitions = topic.partition_cnt;
  state.replication_factor = topic.partition_cnt > 0 ? topic.partitions[0].replica_cnt : 0;
  for (int i = 1; i < topic.partition_cnt; ++i) {
    state.replication_factor = std::min(state.replication_factor, topic.partitions[i].replica_cnt);
  }
  return state;
}

std::map<std::string, std::string> entries_of(const rd_kafka_ConfigResource_t* resource) {
  std::map<std::string, std::string> configs;
  std::size_t count = 0;
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(resource, &count);
  for (std::size_t i = 0; i < count; ++i) {
    const char* value = rd_kafka_ConfigEntry_value(entries[i]);
    if (value != nullptr) {
      configs[rd_kafka_ConfigEntry_name(entries[i])] = value;
    }
  }
  return configs;
}

}  // namespace

RdKafkaTopicAdmin::RdKafkaTopicAdmin(const KafkaConfig& kafka)
    : bootstrap_servers_(kafka.bootstrap_servers), timeout_(kafka.admin_timeout) {
  std::map<std::string, std::string> properties = kafka.properties;
  properties["bootstrap.servers"] = kafka.bootstrap_servers;
  properties["client.id"] = "edgegw-topic-admin";
  KafkaConf conf = make_conf(properties);
  rd_kafka_conf_set_log_cb(conf.get(), &log_to_debug);
  client_ = make_client(RD_KAFKA_PRODUCER, std::move(conf));
}

std::map<std::string, TopicState> RdKafkaTopicAdmin::describe(
    const std::vector<std::string>& names) {
  // Every topic's metadata: asking for one by name could make a broker with
  // auto.create.topics.enable create it.
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(client_.get(), 1, nullptr, &raw, static_cast<int>(timeout_.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw TopicAdminError(fmt::format("Kafka ({}) gave no metadata within {}: {}",
                                      bootstrap_servers_, seconds_text(timeout_),
                                      rd_kafka_err2str(err)));
  }
  const AdminPtr<const rd_kafka_metadata_t> metadata(raw);
  broker_ids_.clear();
  for (int i = 0; i < metadata->broker_cnt; ++i) {
    broker_ids_.push_back(metadata->brokers[i].id);
  }
  controller_id_ = rd_kafka_controllerid(client_.get(), 0);
  std::map<std::string, TopicState> found;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& topic = metadata->topics[i];
    if (topic.err == RD_KAFKA_RESP_ERR_NO_ERROR &&
        std::find(names.begin(), names.end(), topic.topic) != names.end()) {
      found.emplace(topic.topic, topic_state(topic));
    }
  }
  if (!found.empty()) {
    read_configs(found);
  }
  return found;
}

int RdKafkaTopicAdmin::admin_broker() const {
  if (broker_ids_.empty() ||
      std::find(broker_ids_.begin(), broker_ids_.end(), controller_id_) != broker_ids_.end()) {
    return -1;  // librdkafka's own choice: the controller
  }
  return *std::min_element(broker_ids_.begin(), broker_ids_.end());
}

void RdKafkaTopicAdmin::read_configs(std::map<std::string, TopicState>& topics) {
  std::vector<AdminPtr<rd_kafka_ConfigResource_t>> owned;
  std::vector<rd_kafka_ConfigResource_t*> resources;
  for (const auto& [name, state] : topics) {
    owned.emplace_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name.c_str()));
    resources.push_back(owned.back().get());
  }
  const AdminPtr<rd_kafka_queue_t> queue(rd_kafka_queue_new(client_.get()));
  const auto options =
      admin_options(client_.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout_, admin_broker());
  rd_kafka_DescribeConfigs(client_.get(), resources.data(), resources.size(), options.get(),
                           queue.get());
  const AdminPtr<rd_kafka_event_t> event = wait_for(queue.get(), timeout_);
  std::string unknown_because;
  if (!event) {
    unknown_because = fmt::format("no answer within {}", seconds_text(timeout_));
  } else if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    unknown_because = rd_kafka_event_error_string(event.get());
  }
  if (!unknown_because.empty()) {
    for (auto& [name, state] : topics) {
      state.configs_unknown_because = unknown_because;
    }
    return;
  }
  const rd_kafka_DescribeConfigs_result_t* result =
      rd_kafka_event_DescribeConfigs_result(event.get());
  std::size_t count = 0;
  const rd_kafka_ConfigResource_t** described =
      rd_kafka_DescribeConfigs_result_resources(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto topic = topics.find(rd_kafka_ConfigResource_name(described[i]));
    if (topic == topics.end()) {
      continue;
    }
    if (rd_kafka_ConfigResource_error(described[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      topic->second.configs_unknown_because = rd_kafka_ConfigResource_error_string(described[i]);
    } else {
      topic->second.configs = entries_of(described[i]);
    }
  }
}

std::map<std::string, std::string> RdKafkaTopicAdmin::create(const std::vector<NewTopic>& topics) {
  std::vector<AdminPtr<rd_kafka_NewTopic_t>> owned;
  std::vector<rd_kafka_NewTopic_t*> requests;
  std::map<std::string, std::string> refused;
  for (const NewTopic& topic : topics) {
    std::array<char, 512> error{};
    AdminPtr<rd_kafka_NewTopic_t> request(
        rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions, topic.replication_factor,
                              error.data(), error.size()));
    if (!request) {
      refused[topic.name] = error.data();
      continue;
    }
    for (const auto& [name, value] : topic.configs) {
      rd_kafka_NewTopic_set_config(request.get(), name.c_str(), value.c_str());
    }
    requests.push_back(request.get());
    owned.push_back(std::move(request));
  }
  if (requests.empty()) {
    return refused;
  }
  const AdminPtr<rd_kafka_queue_t> queue(rd_kafka_queue_new(client_.get()));
  const auto options =
      admin_options(client_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_, admin_broker());
  rd_kafka_CreateTopics(client_.get(), requests.data(), requests.size(), options.get(),
                        queue.get());
  const AdminPtr<rd_kafka_event_t> event = wait_for(queue.get(), timeout_);
  if (!event) {
    throw TopicAdminError(fmt::format("Kafka ({}) did not answer the creation within {}",
                                      bootstrap_servers_, seconds_text(timeout_)));
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw TopicAdminError(fmt::format("Kafka ({}) refused to create topics: {}", bootstrap_servers_,
                                      rd_kafka_event_error_string(event.get())));
  }
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    // Created meanwhile (another gateway, an operator): what was asked for is there.
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      const char* message = rd_kafka_topic_result_error_string(results[i]);
      refused[rd_kafka_topic_result_name(results[i])] =
          message != nullptr ? message : rd_kafka_err2str(err);
    }
  }
  return refused;
}

}  // namespace edgegw::kafka
