// `edgegw mock-kafka`: an embedded Kafka for demos and tests, librdkafka's mock cluster
// speaking the Kafka protocol on loopback. Not for production: it keeps everything in
// memory and forgets it on exit.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/process_signals.hpp"
#include "config/gateway_config_loader.hpp"
#include "kafka/mock_cluster.hpp"

namespace edgegw::app {
namespace {

struct MockKafkaOptions {
  int brokers = 3;
  int partitions = 6;
  std::string config_file;
  std::vector<std::string> topics;
  std::string bootstrap_file;
};

std::vector<std::string> topics_to_create(const MockKafkaOptions& options) {
  std::vector<std::string> topics = options.topics;
  // Without a config, the default topics, which a default KafkaConfig holds.
  KafkaConfig kafka;
  if (!options.config_file.empty()) {
    kafka = config::load_gateway_config(options.config_file).kafka;
  }
  for (const auto& [stream, topic] : kafka.topics) {
    topics.push_back(topic);
  }
  return topics;
}

void run_mock_kafka(const MockKafkaOptions& options) {
  const std::vector<std::string> topics = topics_to_create(options);
  block_termination_signals();
  kafka::MockCluster cluster(options.brokers);
  for (const std::string& topic : topics) {
    cluster.create_topic(topic, options.partitions, std::min(options.brokers, 3));
  }
  const std::string bootstrap = cluster.bootstrap_servers();
  if (!options.bootstrap_file.empty()) {
    std::ofstream(options.bootstrap_file) << bootstrap << '\n';
  }
  std::cout << "bootstrap.servers=" << bootstrap << std::endl;
  spdlog::info("Embedded Kafka (mock cluster) running. brokers={} partitions={} topics={}",
               options.brokers, options.partitions, topics.size());
  wait_for_termination_signal();
  spdlog::info("Embedded Kafka stopping");
}

}  // namespace

void add_mock_kafka_command(CLI::App& app) {
  auto options = std::make_shared<MockKafkaOptions>();
  CLI::App* cmd =
      app.add_subcommand("mock-kafka",
                         "Run an embedded Kafka cluster on loopback for demos and tests; prints "
                         "its bootstrap address");
  cmd->add_option("--brokers", options->brokers, "Number of brokers")->capture_default_str();
  cmd->add_option("--partitions", options->partitions, "Partitions per topic")
      ->capture_default_str();
  cmd->add_option("--config", options->config_file,
                  "Create the topics named in this gateway config");
  cmd->add_option("--topic", options->topics, "Another topic to create (repeatable)");
  cmd->add_option("--bootstrap-file", options->bootstrap_file,
                  "Also write the bootstrap address to this file");
  cmd->callback([options] { run_mock_kafka(*options); });
}

}  // namespace edgegw::app
