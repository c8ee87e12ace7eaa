#pragma once
// The edgegw subcommands. main.cpp registers each; each lives in its own file.

namespace CLI {
class App;
}

namespace edgegw::app {

// Thrown by a subcommand's callback to end the program with an exit code after it has
// already told the user why (main() catches it and returns the code).
struct CommandExit {
  int code;
};

void add_run_command(CLI::App& app);           // run_command.cpp: the daemon
void add_check_config_command(CLI::App& app);  // check_config_command.cpp
void add_test_mapping_command(CLI::App& app);  // test_mapping_command.cpp
void add_topics_command(CLI::App& app);        // topics_command.cpp: kafka.topics
void add_mock_kafka_command(CLI::App& app);    // mock_kafka_command.cpp: embedded Kafka
void add_analyze_command(CLI::App& app);       // analyze_command.cpp: offline analytics
void add_train_command(CLI::App& app);         // train_command.cpp: maintenance models
void add_dashboard_command(CLI::App& app);     // dashboard_command.cpp: the alerts page

// metrics_reference_command.cpp: the table of /metrics in docs/operations.md
void add_metrics_reference_command(CLI::App& app);
// config_reference_command.cpp: the key tables of docs/configuration.md
void add_config_reference_command(CLI::App& app);
void add_version_command(CLI::App& app);  // version_command.cpp: as --version

}  // namespace edgegw::app
