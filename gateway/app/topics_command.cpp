// `edgegw topics CONFIG [--check | --apply]`: the declared topics (kafka.topics) against
// the cluster's, on demand: prints one line per stream and exits 0 only when every topic
// exists with its declared settings. --apply first creates the missing topics that
// declare their partitions; an existing topic is never changed.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "config/gateway_config_loader.hpp"
#include "edgegw/config_error.hpp"
#include "kafka/rdkafka_topic_admin.hpp"
#include "kafka/topic_plan.hpp"
#include "kafka/topic_plan_text.hpp"

namespace edgegw::app {
namespace {

struct TopicsOptions {
  std::string file;
  bool check = false;
  bool apply = false;
};

std::string summary(const kafka::TopicPlan& plan) {
  if (!plan.has_problems()) {
    return "every topic as declared: nothing to do";
  }
  return fmt::format("{} topic(s) missing, {} differing{}", plan.missing(), plan.differing(),
                     plan.to_create() > 0 ? " (--apply creates those marked 'to create')" : "");
}

void run_topics(const TopicsOptions& options) {
  GatewayConfig config;
  try {
    config = config::load_gateway_config(options.file);
  } catch (const config::ConfigError& e) {
    std::cerr << e.what() << '\n';
    throw CommandExit{exit_code::config};
  }
  try {
    kafka::RdKafkaTopicAdmin admin(config.kafka);
    kafka::TopicPlan plan = kafka::plan_topics(config.kafka, admin);
    if (options.apply) {
      kafka::create_missing(plan, admin);
    }
    for (const std::string& line : kafka::plan_lines(plan)) {
      std::cout << line << '\n';
    }
    std::cout << summary(plan) << '\n';
    if (plan.has_problems()) {
      throw CommandExit{exit_code::failure};
    }
  } catch (const kafka::TopicAdminError& e) {
    std::cerr << "error: " << e.what() << '\n';
    throw CommandExit{exit_code::failure};
  }
}

}  // namespace

void add_topics_command(CLI::App& app) {
  auto options = std::make_shared<TopicsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "topics", "Compare the declared Kafka topics with the cluster's (and create missing ones)");
  cmd->add_option("config", options->file, "Gateway config file (YAML)")->required();
  CLI::Option* check =
      cmd->add_flag("--check", options->check,
                    "Print the plan; exit 1 if a topic is missing or differs (the default)");
  cmd->add_flag("--apply", options->apply,
                "Create the missing topics that declare partitions, then as --check")
      ->excludes(check);
  cmd->callback([options] { run_topics(*options); });
}

}  // namespace edgegw::app
