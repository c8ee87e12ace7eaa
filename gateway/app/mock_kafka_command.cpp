// `edgegw mock-kafka`: an embedded Kafka for demos and tests, librdkafka's mock cluster
// speaking the Kafka protocol on loopback. Not for production: it keeps everything in
// memory and forgets it on exit. With --control it also takes commands on stdin that take
// the brokers down, slow them or hang them (mock_kafka_control.hpp), for fault tests.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/mock_kafka_control.hpp"
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
  bool control = false;
};

// A command line longer than this is not a command: it is dropped.
constexpr std::size_t kMaxCommandLine = 4096;

// Answers the command lines of `input`, one reply line each on stdout.
void answer_commands(std::string& input, MockKafkaControl& control) {
  for (auto end = input.find('\n'); end != std::string::npos; end = input.find('\n')) {
    std::cout << control.apply(std::string_view(input).substr(0, end)) << std::endl;
    input.erase(0, end + 1);
  }
  if (input.size() > kMaxCommandLine) {
    std::cout << "error: command line too long" << std::endl;
    input.clear();
  }
}

// Reads commands from stdin until a termination signal. Polls rather than blocks, so
// that a signal is noticed while stdin stays open; after stdin's end the cluster keeps
// running until the signal, as without --control.
void serve_commands(kafka::MockCluster& cluster) {
  MockKafkaControl control(cluster);
  std::string input;
  while (!wait_for_termination_signal(std::chrono::milliseconds(0))) {
    pollfd in{STDIN_FILENO, POLLIN, 0};
    if (::poll(&in, 1, 200) <= 0) {
      continue;
    }
    char chunk[1024];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      wait_for_termination_signal();
      return;
    }
    input.append(chunk, static_cast<std::size_t>(n));
    answer_commands(input, control);
  }
}

struct MockTopic {
  std::string name;
  int partitions;
};

// The config's topics take their declared partitions: librdkafka 2.0.2's mock cluster has
// no CreateTopics, so topic management cannot create them itself (docs/operations.md).
// Not their replication: the mock places every partition on min(3, brokers) brokers
// whatever it is asked for.
std::vector<MockTopic> topics_to_create(const MockKafkaOptions& options) {
  std::vector<MockTopic> topics;
  for (const std::string& name : options.topics) {
    topics.push_back({name, options.partitions});
  }
  // Without a config, the default topics, which a default KafkaConfig holds.
  KafkaConfig kafka;
  if (!options.config_file.empty()) {
    kafka = config::load_gateway_config(options.config_file).kafka;
  }
  for (const auto& [stream, name] : kafka.topics) {
    const auto declared = kafka.topic_settings.find(stream);
    const bool has_partitions =
        declared != kafka.topic_settings.end() && declared->second.partitions.has_value();
    topics.push_back({name, has_partitions ? *declared->second.partitions : options.partitions});
  }
  return topics;
}

void run_mock_kafka(const MockKafkaOptions& options) {
  const std::vector<MockTopic> topics = topics_to_create(options);
  block_termination_signals();
  kafka::MockCluster cluster(options.brokers);
  for (const MockTopic& topic : topics) {
    cluster.create_topic(topic.name, topic.partitions, std::min(options.brokers, 3));
  }
  const std::string bootstrap = cluster.bootstrap_servers();
  if (!options.bootstrap_file.empty()) {
    std::ofstream(options.bootstrap_file) << bootstrap << '\n';
  }
  std::cout << "bootstrap.servers=" << bootstrap << std::endl;
  spdlog::info("Embedded Kafka (mock cluster) running. brokers={} partitions={} topics={}",
               options.brokers, options.partitions, topics.size());
  if (options.control) {
    serve_commands(cluster);
  } else {
    wait_for_termination_signal();
  }
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
  cmd->add_option("--partitions", options->partitions,
                  "Partitions per topic (a topic the config declares takes its own)")
      ->capture_default_str();
  cmd->add_option("--config", options->config_file,
                  "Create the topics named in this gateway config (with their declared "
                  "partitions)");
  cmd->add_option("--topic", options->topics, "Another topic to create (repeatable)");
  cmd->add_option("--bootstrap-file", options->bootstrap_file,
                  "Also write the bootstrap address to this file");
  cmd->add_flag("--control", options->control,
                "Read commands on stdin, one a line, each answered on stdout: 'down' / 'up' "
                "(every broker down / up), 'rtt MS' (every broker answers MS ms late), "
                "'hang' / 'resume' (every broker keeps its connections but stops answering, "
                "an rtt of an hour / back to the last rtt set)");
  cmd->callback([options] { run_mock_kafka(*options); });
}

}  // namespace edgegw::app
