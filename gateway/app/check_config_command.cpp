// `edgegw check-config CONFIG`: validates a config and says what is wrong, where.

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "config/gateway_config_loader.hpp"
#include "edgegw/config_error.hpp"
#include "kafka/topic_plan.hpp"
#include "kafka/topic_plan_text.hpp"
#include "pipeline/message_router.hpp"

namespace edgegw::app {
namespace {

struct CheckOptions {
  std::string file;
  bool strict = false;
};

// What topic management would do, from the config alone (`edgegw topics` asks the
// cluster).
void print_topic_plan(const KafkaConfig& kafka) {
  if (kafka.manage_topics == TopicManagement::off) {
    std::cout << "  topics: not managed (kafka.manage_topics: off)\n";
    return;
  }
  std::cout << fmt::format(
      "  topics ({} at start):\n",
      kafka.manage_topics == TopicManagement::create ? "checked, missing ones created" : "checked");
  for (const std::string& line :
       kafka::declared_lines(kafka::declared_topics(kafka), kafka.manage_topics)) {
    std::cout << "    " << line << '\n';
  }
}

void check_config(const CheckOptions& options) {
  const std::string& file = options.file;
  try {
    // The daemon's own loader and router: what they accept here, `run` accepts.
    const GatewayConfig config = config::load_gateway_config(file);
    const pipeline::MessageRouter router(config);
    const std::vector<std::string> filters = config.mqtt.subscriptions.empty()
                                                 ? router.subscription_filters()
                                                 : config.mqtt.subscriptions;
    std::cout << fmt::format(
        "{}: OK\n  gateway {}\n  {} mapping(s), subscribing to {}\n"
        "  kafka {}\n  buffer {}\n",
        file, config.gateway_id, config.mappings.size(), fmt::join(filters, ", "),
        config.kafka.bootstrap_servers, config.buffer.directory.string());
    if (config.device_metadata) {
      std::cout << fmt::format("  metadata {}: {} device(s), columns {}\n",
                               config.device_metadata->source, config.device_metadata->size(),
                               fmt::join(config.device_metadata->columns, ", "));
    }
    print_topic_plan(config.kafka);
    for (const std::string& warning : config.security_warnings) {
      std::cerr << "warning: " << warning << '\n';
    }
    if (options.strict && !config.security_warnings.empty()) {
      std::cerr << fmt::format("{}: {} security warning(s), refused by --strict\n", file,
                               config.security_warnings.size());
      throw CommandExit{exit_code::config};
    }
  } catch (const config::ConfigError& e) {
    // The error is this command's report: one plain line, file:line: key: what is wrong.
    std::cerr << e.what() << '\n';
    throw CommandExit{exit_code::config};
  }
}

}  // namespace

void add_check_config_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check-config", "Validate a gateway config file");
  cmd->add_option("config", options->file, "Gateway config file (YAML)")->required();
  cmd->add_flag("--strict", options->strict,
                "Also fail on security warnings (clear-text credentials, verification off, "
                "secrets readable by others)");
  cmd->callback([options] { check_config(*options); });
}

}  // namespace edgegw::app
