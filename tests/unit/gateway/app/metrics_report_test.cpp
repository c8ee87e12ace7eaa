// /metrics as a scraper reads it: every series well formed whatever the gateway id.

#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>

#include "app/metrics_report.hpp"

namespace edgegw::app {
namespace {

// The probes of a gateway that has done nothing yet, with every optional part on.
struct IdleGateway {
  ingest::IngestProbe ingest;
  pipeline::PipelineProbe pipeline;
  forward::ForwarderProbe forwarder;
  CheckpointProbe checkpoint;
  store::LogStats log;
  analytics::EngineStats analytics;
  local_alerts::AlertTopicStats alert_topic;

  std::string render(const std::string& gateway_id) const {
    return render_metrics(
        {gateway_id, log, ingest, pipeline, forwarder, true, analytics, alert_topic, &checkpoint});
  }
};

// A sample line of the text exposition format: name{label="value",...} number, where a
// label value escapes backslash, double quote and newline.
bool well_formed_sample(const std::string& line) {
  static const std::regex sample(
      R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")re"
      R"re((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\} \S+$)re");
  return std::regex_match(line, sample);
}

}  // namespace

TEST_CASE("a gateway id with quotes, backslashes or newlines keeps every series well formed",
          "[unit][metrics]") {
  const IdleGateway gateway;
  const std::string text = gateway.render("edge \"01\"\\west\nline");
  CHECK(text.find(R"(gateway="edge \"01\"\\west\nline")") != std::string::npos);
  std::istringstream lines(text);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("#")) {
      INFO(line);
      CHECK(well_formed_sample(line));
      ++samples;
    }
  }
  CHECK(samples > 50);
}

}  // namespace edgegw::app
