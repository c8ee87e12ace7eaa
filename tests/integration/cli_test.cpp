// The user-facing subcommands as users run them: the real binary, its output and its
// exit codes.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "edgegw/clock.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

using edgegw::test::ChildProcess;
using edgegw::test::read_file;
using edgegw::test::TempDir;
using edgegw::test::write_file;

namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run run_edgegw(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> command{EDGEGW_BINARY};
  command.insert(command.end(), args.begin(), args.end());
  ChildProcess p(command, dir.path() / "out", dir.path() / "err");
  const int code = p.wait_for(std::chrono::seconds(30)).value_or(-1);
  return {code, read_file(dir.path() / "out"), read_file(dir.path() / "err")};
}

const char* const kExample = EDGEGW_SOURCE_DIR "/config/gateway.example.yaml";

}  // namespace

TEST_CASE("check-config accepts the example and names file, line and key of a mistake",
          "[integration][cli]") {
  TempDir dir;
  const Run ok = run_edgegw(dir, {"check-config", kExample});
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("OK") && Catch::Contains("6 mapping(s)"));

  std::string broken = read_file(kExample);
  broken.replace(broken.find("qos: 1 "), 7, "qos: 7 ");
  const auto file = dir.path() / "broken.yaml";
  write_file(file, broken);
  const Run bad = run_edgegw(dir, {"check-config", file.string()});
  CHECK(bad.code == 78);
  CHECK_THAT(bad.err, Catch::Contains(file.string() + ":") &&
                          Catch::Contains("mqtt.qos: must be 0, 1 or 2"));
}

TEST_CASE("check-config warns of clear-text credentials, and --strict refuses them",
          "[integration][cli]") {
  TempDir dir;
  std::string config = read_file(kExample);
  const std::string commented = "  # username: edgegw\n";
  config.replace(config.find(commented), commented.size(),
                 "  username: edgegw\n  password: secret\n");
  const auto file = dir.path() / "gw.yaml";
  write_file(file, config);
  const Run lenient = run_edgegw(dir, {"check-config", file.string()});
  CHECK(lenient.code == 0);
  CHECK_THAT(lenient.err, Catch::Contains("warning: " + file.string() + ":") &&
                              Catch::Contains("mqtt.broker: the MQTT password goes over clear "
                                              "text") &&
                              !Catch::Contains("secret"));
  const Run strict = run_edgegw(dir, {"check-config", "--strict", file.string()});
  CHECK(strict.code == 78);
  CHECK_THAT(strict.err, Catch::Contains("1 security warning(s), refused by --strict"));
  CHECK(run_edgegw(dir, {"check-config", "--strict", kExample}).code == 0);
}

TEST_CASE("check-config --strict refuses an ops endpoint open beyond loopback without a token",
          "[integration][cli]") {
  TempDir dir;
  std::string config = read_file(kExample);
  const std::string listen = "${EDGEGW_HTTP_LISTEN:-127.0.0.1:8787}";
  config.replace(config.find(listen), listen.size(), "0.0.0.0:8787");
  const auto open = dir.path() / "open.yaml";
  write_file(open, config);
  const Run strict = run_edgegw(dir, {"check-config", "--strict", open.string()});
  CHECK(strict.code == 78);
  CHECK_THAT(strict.err, Catch::Contains("http.listen: the operations endpoint is reachable "
                                         "beyond this host without a token"));

  const auto token = dir.write("http-token", "t0ken\n");
  std::filesystem::permissions(
      token, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto guarded = dir.path() / "guarded.yaml";
  write_file(guarded, config + "  token_file: " + token.string() + "\n");
  const Run ok = run_edgegw(dir, {"check-config", "--strict", guarded.string()});
  CHECK(ok.code == 0);
  CHECK_THAT(ok.err, !Catch::Contains("t0ken"));
}

TEST_CASE("check-config refuses what run would refuse, naming the user's key",
          "[integration][cli]") {
  TempDir dir;
  const auto check_and_run = [&](const std::string& from, const std::string& to) {
    std::string config = read_file(kExample);
    config.replace(config.find(from), from.size(), to);
    const std::string buffer = "${EDGEGW_BUFFER_DIR:-/var/lib/edgegw/buffer}";
    config.replace(config.find(buffer), buffer.size(), (dir.path() / "buffer").string());
    const auto file = dir.path() / "gw.yaml";
    write_file(file, config);
    return std::pair{run_edgegw(dir, {"check-config", file.string()}),
                     run_edgegw(dir, {"run", file.string()})};
  };
  for (const auto& [from, to, key] : {
           std::tuple{"segment_size: 16MiB", "segment_size: 512MiB", "buffer.segment_size"},
           std::tuple{"${EDGEGW_HTTP_LISTEN:-127.0.0.1:8787}", "\"127.0.0.1:abc\"", "http.listen"},
           std::tuple{"${EDGEGW_HTTP_LISTEN:-127.0.0.1:8787}", "\"127.0.0.1:99999\"",
                      "http.listen"},
       }) {
    INFO(to);
    const auto [check, run] = check_and_run(from, to);
    CHECK(check.code == 78);
    CHECK_THAT(check.err, Catch::Contains("gw.yaml:") && Catch::Contains(key));
    CHECK(run.code == 78);
    CHECK_THAT(run.err, Catch::Contains("gw.yaml:") && Catch::Contains(key) &&
                            !Catch::Contains("stoi") && !Catch::Contains("store."));
  }
}

TEST_CASE("test-mapping shows the record, or the problems and the exit code for them",
          "[integration][cli]") {
  TempDir dir;
  // Stamped now: the example mappings take payload times within 7 days behind arrival.
  const std::int64_t now = edgegw::wall_clock_ms();
  const std::string motor = "factory/north/motor/motor-001/telemetry";
  const Run good = run_edgegw(dir, {"test-mapping", kExample, "--topic", motor, "--payload",
                                    fmt::format("7,{},40.5,398.2,1365.8,49.47,2.928,1", now)});
  CHECK(good.code == 0);
  CHECK_THAT(good.out, Catch::Contains("mapping: motors") &&
                           Catch::Contains(R"("current":{"unit":"A","value":40.5})"));

  const Run partly = run_edgegw(dir, {"test-mapping", kExample, "--topic", motor, "--payload",
                                      fmt::format("7,{},999,398.2,1365.8,49.47,2.928,1", now)});
  CHECK(partly.code == 3);
  CHECK_THAT(partly.out, Catch::Contains("problem: out_of_range"));

  // The daemon's bounds, here too: a clock in the year 4980 maps to nothing.
  const Run future = run_edgegw(dir, {"test-mapping", kExample, "--topic", motor, "--payload",
                                      "7,94986432000000,40.5,398.2,1365.8,49.47,2.928,1"});
  CHECK(future.code == 1);
  CHECK_THAT(future.out, Catch::Contains("problem: bad_timestamp: field 'ts': timestamp "
                                         "4980-01-01T00:00:00.000Z") &&
                             Catch::Contains("max_clock_skew (5m) ahead of the arrival time") &&
                             !Catch::Contains("telemetry record:"));

  const Run none =
      run_edgegw(dir, {"test-mapping", kExample, "--topic", "elsewhere/x", "--payload", "1"});
  CHECK(none.code == 1);
  CHECK_THAT(none.out, Catch::Contains("problem: no_mapping"));
}

TEST_CASE("test-mapping --messages maps a recording into analyze's samples, as the daemon would",
          "[integration][cli]") {
  TempDir dir;
  // Recorded in 2024: the replay clock starts at --arrival-ms and follows the samples, so
  // the daemon's bounds on event time judge them as they would have then.
  const std::int64_t start = 1704067200000;
  const std::string motor = "factory/north/motor/motor-001/telemetry";
  const std::string compressor = "factory/north/compressor/compressor-001/";
  const auto file = dir.path() / "messages.tsv";
  write_file(file, fmt::format("{0}\t7,{1},40.5,398.2,1365.8,49.47,2.928,1\n"
                               "{0}\t8,{2},999,398.2,1365.8,49.47,2.928,1\n"
                               "a line without a tab\n"
                               "factory/north/pump/pump-001/telemetry\t{{\"seq\":\n"
                               "{3}seq\t9\n"
                               "{3}oil_temp\t55.5\n",
                               motor, start, start + 1000, compressor));
  const Run run = run_edgegw(dir, {"test-mapping", kExample, "--messages", file.string(),
                                   "--arrival-ms", std::to_string(start)});
  REQUIRE(run.code == 0);
  std::vector<nlohmann::json> samples;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    samples.push_back(nlohmann::json::parse(line));
  }
  REQUIRE(samples.size() == 4);
  CHECK(samples[0]["line"] == 1);
  CHECK(samples[0]["device"] == "motor-001");
  CHECK(samples[0]["mapping"] == "motors");
  CHECK(samples[0]["timestamp"] == start);
  CHECK(samples[0]["sequence"] == 7);
  CHECK(samples[0]["readings"]["current"] == 40.5);
  // Out of range: the reading is left out, the rest of the message goes on.
  CHECK(samples[1]["line"] == 2);
  CHECK_FALSE(samples[1]["readings"].contains("current"));
  CHECK(samples[1]["readings"]["voltage"] == 398.2);
  // A bare number carries no time: it arrives at the newest sample time seen.
  CHECK(samples[2]["line"] == 5);
  CHECK(samples[2]["sequence"] == 9);
  CHECK(samples[2]["readings"].empty());
  CHECK(samples[3]["line"] == 6);
  CHECK(samples[3]["timestamp"] == start + 1000);
  CHECK(samples[3]["readings"]["oil_temp"] == 55.5);
  CHECK_THAT(run.err, Catch::Contains("5 messages, 4 samples; dead letters: decode_error=1 "
                                      "out_of_range=1; readings rejected: out_of_range=1; "
                                      "unreadable lines: 1"));

  // Recorded with arrival times (edgegw-sim --dry-run-time, mosquitto_sub -F '%U\t%t\t%p'):
  // each message arrives then, a bare number is stamped so, and a line whose time cannot
  // be read is counted.
  const auto timed = dir.path() / "timed.tsv";
  write_file(timed, fmt::format("{0}\t{1}seq\t9\n"
                                "{2}.25\t{1}oil_temp\t55.5\n"
                                "later\t{1}oil_temp\t55.6\n",
                                start + 4000, compressor, (start + 5000) / 1000));
  const Run replay =
      run_edgegw(dir, {"test-mapping", kExample, "--messages", timed.string(), "--timed"});
  REQUIRE(replay.code == 0);
  std::istringstream replayed(replay.out);
  std::string first;
  std::string second;
  std::getline(replayed, first);
  std::getline(replayed, second);
  CHECK(nlohmann::json::parse(first)["timestamp"] == start + 4000);
  CHECK(nlohmann::json::parse(second)["timestamp"] == start + 5250);
  CHECK_THAT(replay.err,
             Catch::Contains("2 messages, 2 samples") && Catch::Contains("unreadable lines: 1"));

  const Run both =
      run_edgegw(dir, {"test-mapping", kExample, "--messages", file.string(), "--topic", motor});
  CHECK(both.code == 2);
  const Run neither = run_edgegw(dir, {"test-mapping", kExample});
  CHECK(neither.code == 2);
  CHECK_THAT(neither.err, Catch::Contains("--topic and --payload (or --messages)"));
}

TEST_CASE("test-mapping routes like the daemon: max_payload, forward mode, Kafka topic and key",
          "[integration][cli]") {
  TempDir dir;
  std::string config = read_file(kExample);
  const auto edit = [&config](const std::string& from, const std::string& to) {
    config.replace(config.find(from), from.size(), to);
  };
  edit("key: \"{device}\"", "key: \"{site}/{device}\"");
  edit("max_payload: 64KiB", "max_payload: 200");
  const auto file = dir.path() / "gw.yaml";
  write_file(file, config);
  const std::int64_t now = edgegw::wall_clock_ms();
  const std::string motor = "factory/north/motor/motor-001/telemetry";
  const std::string reading = fmt::format("7,{},40.5,398.2,1365.8,49.47,2.928,1", now);

  const Run good =
      run_edgegw(dir, {"test-mapping", file.string(), "--topic", motor, "--payload", reading});
  CHECK(good.code == 0);
  CHECK_THAT(good.out,
             Catch::Contains("telemetry record: topic=edgegw.telemetry key=north/motor-001\n{"));

  const Run oversized = run_edgegw(dir, {"test-mapping", file.string(), "--topic", motor,
                                         "--payload", reading + std::string(200, ' ')});
  CHECK(oversized.code == 1);
  CHECK_THAT(oversized.out,
             Catch::Contains("problem: oversized: payload of") &&
                 Catch::Contains("dead_letter record: topic=edgegw.dead-letter key=" + motor) &&
                 !Catch::Contains("telemetry record"));

  edit("forward: both", "forward: aggregates");
  write_file(file, config);
  const Run aggregates =
      run_edgegw(dir, {"test-mapping", file.string(), "--topic", motor, "--payload", reading});
  CHECK(aggregates.code == 0);
  CHECK_THAT(aggregates.out,
             Catch::Contains("forward: aggregates") && !Catch::Contains("telemetry record"));
}

TEST_CASE("test-mapping takes a message's MQTT 5 content type and user properties",
          "[integration][cli]") {
  TempDir dir;
  std::string config = read_file(kExample);
  config.insert(config.find("mqtt:\n") + 6, "  version: 5\n");
  const std::size_t motors = config.find("name: motors");
  config.replace(config.find("tags: [site]", motors), 12,
                 "tags: [site, $user.line, $content_type]");
  const auto file = dir.path() / "gw.yaml";
  write_file(file, config);
  const std::vector<std::string> motor = {
      "test-mapping", file.string(),
      "--topic",      "factory/north/motor/motor-001/telemetry",
      "--payload",    fmt::format("7,{},40.5,398.2,1365.8,49.47,2.928,1", edgegw::wall_clock_ms())};

  std::vector<std::string> args = motor;
  args.insert(args.end(), {"--content-type", "text/csv", "--user-property", "line=L7",
                           "--user-property", "shift=night"});
  const Run with = run_edgegw(dir, args);
  CHECK(with.code == 0);
  CHECK_THAT(with.out, Catch::Contains(R"("content_type":"text/csv","line":"L7","site":"north")"));

  args = motor;
  args.insert(args.end(), {"--user-property", "no-equals-sign"});
  const Run bad = run_edgegw(dir, args);
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out + bad.err, Catch::Contains("'no-equals-sign' should look like NAME=VALUE"));
}

TEST_CASE("usage errors exit 2, and a bare edgegw shows the subcommands", "[integration][cli]") {
  TempDir dir;
  const Run bare = run_edgegw(dir, {});
  CHECK(bare.code == 2);
  CHECK_THAT(bare.err, Catch::Contains("check-config") && Catch::Contains("test-mapping") &&
                           !Catch::Contains("A subcommand is required"));
  CHECK(run_edgegw(dir, {"check-config"}).code == 2);                      // a missing argument
  CHECK(run_edgegw(dir, {"check-config", kExample, "--nope"}).code == 2);  // an unknown option
  CHECK(run_edgegw(dir, {"no-such-command"}).code == 2);
  CHECK(run_edgegw(dir, {"--log-level", "loud", "check-config", kExample}).code == 2);
  CHECK(run_edgegw(dir, {"--help"}).code == 0);
  CHECK(run_edgegw(dir, {"--version"}).code == 0);
}

TEST_CASE("edgegw --version, edgegw version and edgegw-sim --version name the build",
          "[integration][cli]") {
  TempDir dir;
  const Run flag = run_edgegw(dir, {"--version"});
  const Run subcommand = run_edgegw(dir, {"version"});
  CHECK(flag.code == 0);
  CHECK(subcommand.code == 0);
  CHECK(subcommand.out == flag.out);
  CHECK(std::regex_search(flag.out,
                          std::regex(R"(^edgegw \d+\.\d+\.\d+( \(commit [0-9a-f]+\))?\n$)")));

  ChildProcess sim({EDGEGW_SIM_BINARY, "--version"}, dir.path() / "sim.out",
                   dir.path() / "sim.err");
  CHECK(sim.wait_for(std::chrono::seconds(30)).value_or(-1) == 0);
  CHECK(read_file(dir.path() / "sim.out") ==
        "edgegw-sim" + flag.out.substr(std::string("edgegw").size()));
}

namespace {

// The example config with one mistake, on line 13: `mqtt.qos: 7`.
std::filesystem::path write_broken_example(const TempDir& dir) {
  const auto broken = dir.path() / "broken.yaml";
  std::string config = read_file(kExample);
  config.replace(config.find("qos: 1 "), 7, "qos: 7 ");
  write_file(broken, config);
  return broken;
}

}  // namespace

TEST_CASE("config errors exit 78 and are logged in the log format, at the chosen level",
          "[integration][cli]") {
  TempDir dir;
  const auto broken = write_broken_example(dir);
  // 2026-11-22T05:00:21.470 error broken.yaml:13: mqtt.qos: ...
  const std::regex logged(
      R"((^|\n)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} \S*error\S* +\S*broken\.yaml:13: mqtt\.qos: )");

  const Run run = run_edgegw(dir, {"run", broken.string()});
  CHECK(run.code == 78);
  CHECK(std::regex_search(run.err, logged));
  const Run mapping =
      run_edgegw(dir, {"test-mapping", broken.string(), "--topic", "t", "--payload", "1"});
  CHECK(mapping.code == 78);
  CHECK(std::regex_search(mapping.err, logged));
  const Run missing = run_edgegw(dir, {"run", (dir.path() / "absent.yaml").string()});
  CHECK(missing.code == 78);
  CHECK_THAT(missing.err, Catch::Contains("absent.yaml: cannot read the config file"));

  // The level holds from the first line, whichever side of the subcommand it is given.
  const Run quiet = run_edgegw(dir, {"--log-level", "critical", "run", broken.string()});
  CHECK(quiet.code == 78);
  CHECK(quiet.err.empty());
  const Run quiet_after = run_edgegw(dir, {"test-mapping", broken.string(), "--topic", "t",
                                           "--payload", "1", "--log-level", "critical"});
  CHECK(quiet_after.code == 78);
  CHECK(quiet_after.err.empty());
}

TEST_CASE("with --log-format json every log line is one JSON object, for log shippers",
          "[integration][cli]") {
  TempDir dir;
  const auto broken = write_broken_example(dir);

  const Run run = run_edgegw(dir, {"--log-format", "json", "run", broken.string()});
  CHECK(run.code == 78);
  std::istringstream lines(run.err);
  std::string line;
  int objects = 0;
  while (std::getline(lines, line)) {
    const nlohmann::json logged = nlohmann::json::parse(line);  // throws on a non-JSON line
    CHECK(std::regex_match(logged.at("ts").get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    CHECK(logged.at("level") == "error");
    CHECK_THAT(logged.at("msg").get<std::string>(), Catch::Contains("broken.yaml:13: mqtt.qos: "));
    ++objects;
  }
  CHECK(objects == 1);
  CHECK(run_edgegw(dir, {"--log-format", "xml", "check-config", kExample}).code == 2);
}

namespace {

// A smooth signal with a spike at row 300 and unreadable cells at rows 100 and 101.
std::string spiky_csv() {
  std::string csv = "timestamp,temperature,pressure\n";
  for (int i = 0; i < 600; ++i) {
    const double t = 70 + 5 * std::sin(i / 40.0) + 0.3 * std::cos(i * 7.1) + (i == 300 ? 40 : 0);
    const double p = 2 + 0.1 * std::sin(i / 40.0) + 0.01 * std::cos(i * 3.3);
    const std::string tc = i == 100 ? "" : i == 101 ? "abc" : std::to_string(t);
    csv += std::to_string(1'704'067'200 + i) + "," + tc + "," + std::to_string(p) + "\n";
  }
  return csv;
}

std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& file) {
  std::vector<nlohmann::json> docs;
  std::istringstream lines(read_file(file));
  for (std::string line; std::getline(lines, line);) {
    docs.push_back(nlohmann::json::parse(line));
  }
  return docs;
}

// Run-to-failure histories in the generic CSV: `wear` grows with age, `flow` falls, and
// `noise` carries nothing. Deterministic (no RNG): lives of 100..157 steps.
std::string run_to_failure_csv(int units) {
  std::string csv = "device,time,wear,flow,noise,rul\n";
  for (int u = 0; u < units; ++u) {
    const int life = 100 + (u * 19) % 58;
    for (int t = 1; t <= life; ++t) {
      const double h = static_cast<double>(t) / life;
      csv += fmt::format("unit-{},{},{:.4f},{:.4f},{:.4f},{}\n", u, t,
                         10 + 5 * h * h + 0.1 * std::sin(t * 1.7 + u),
                         3 - 2 * h + 0.1 * std::cos(t * 2.3 + u), std::sin(t * 0.9 + u * 3.0),
                         life - t);
    }
  }
  return csv;
}

}  // namespace

TEST_CASE("analyze writes a score per row and the alerts it would raise, skipping bad cells",
          "[integration][cli]") {
  TempDir dir;
  write_file(dir.path() / "in.csv", spiky_csv());
  // ewma is opt-in: the defaults alert through the anomaly detector, after its learning.
  write_file(dir.path() / "gw.yaml",
             "analytics:\n  profiles:\n    default:\n      ewma: {enabled: true}\n");
  const Run run = run_edgegw(
      dir, {"analyze", "--config", (dir.path() / "gw.yaml").string(), "--input",
            (dir.path() / "in.csv").string(), "--scores", (dir.path() / "scores.csv").string(),
            "--alerts", (dir.path() / "alerts.jsonl").string()});
  REQUIRE(run.code == 0);
  CHECK_THAT(run.err, Catch::Contains("rows=600") && Catch::Contains("invalid_values=2"));

  std::istringstream scores(read_file(dir.path() / "scores.csv"));
  std::vector<std::string> rows;
  for (std::string line; std::getline(scores, line);) {
    rows.push_back(line);
  }
  REQUIRE(rows.size() == 601);  // the header and one row per input row
  CHECK(rows[0] ==
        "timestamp,ewma_score,mad_score,rate_score,stuck_score,mahalanobis_score,"
        "pca_score,anomaly_score,alerting");
  CHECK(rows[301].rfind("1704067500,", 0) == 0);
  const double spike_ewma = std::stod(rows[301].substr(rows[301].find(',') + 1));
  CHECK(spike_ewma >= 1.0);  // the spike's row scores over its threshold

  bool raised_at_spike = false;
  for (const nlohmann::json& a : read_jsonl(dir.path() / "alerts.jsonl")) {
    raised_at_spike = raised_at_spike || (a.at("source") == "ewma" && a.at("state") == "raised" &&
                                          a.at("ts") == 1'704'067'500'000);
  }
  CHECK(raised_at_spike);
}

// The last two cells of a scores row: anomaly_score and alerting.
std::pair<double, int> anomaly_cells(const std::string& row) {
  const std::size_t last = row.rfind(',');
  const std::size_t before = row.rfind(',', last - 1);
  return {std::stod(row.substr(before + 1, last - before - 1)), std::stoi(row.substr(last + 1))};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    rows.push_back(line);
  }
  return rows;
}

TEST_CASE("analyze reports an episode in anomaly_score and alerting, muted by --baseline-rows",
          "[integration][cli]") {
  TempDir dir;
  std::string csv = "timestamp,flow\n";
  for (int i = 0; i < 2000; ++i) {
    const double flow = 40 + std::cos(i * 7.1) + 0.5 * std::sin(i * 3.7) + (i == 1500 ? 12 : 0);
    csv += fmt::format("{},{:.4f}\n", 1'704'067'200 + i, flow);
  }
  write_file(dir.path() / "in.csv", csv);
  const auto analyze = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"analyze",
                                     "--input",
                                     (dir.path() / "in.csv").string(),
                                     "--scores",
                                     (dir.path() / "scores.csv").string(),
                                     "--alerts",
                                     (dir.path() / "alerts.jsonl").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    REQUIRE(run_edgegw(dir, args).code == 0);
    return lines_of(read_file(dir.path() / "scores.csv"));
  };
  const auto anomaly_raised = [&] {
    std::size_t n = 0;
    for (const nlohmann::json& a : read_jsonl(dir.path() / "alerts.jsonl")) {
      n += a.at("source") == "anomaly" && a.at("state") == "raised" ? 1 : 0;
    }
    return n;
  };

  std::vector<std::string> rows = analyze({});
  REQUIRE(rows.size() == 2001);
  const auto [peak, alerting] = anomaly_cells(rows[1502]);  // data row 1501: one sample late
  CHECK(peak >= 0.45);
  CHECK(alerting == 1);
  CHECK(anomaly_cells(rows[1500]).second == 0);
  CHECK(anomaly_raised() == 1);

  rows = analyze({"--baseline-rows", "1600"});
  REQUIRE(rows.size() == 2001);
  for (std::size_t r = 1; r <= 1600; ++r) {
    REQUIRE(anomaly_cells(rows[r]) == std::pair<double, int>{0.0, 0});
  }
  CHECK(anomaly_raised() == 0);
  CHECK(read_jsonl(dir.path() / "alerts.jsonl").empty());
}

TEST_CASE("analyze names the file and line of an unreadable row", "[integration][cli]") {
  TempDir dir;
  write_file(dir.path() / "in.csv", "timestamp,temperature\n1704067200,70\n1704067201,70,71\n");
  const Run run = run_edgegw(dir, {"analyze", "--input", (dir.path() / "in.csv").string()});
  CHECK(run.code != 0);
  CHECK_THAT(run.out + run.err, Catch::Contains("in.csv:3: 3 cells, the header has 2"));
}

namespace {

// A new device from new to failure, 130 steps, one a minute: wear rises, flow falls.
std::string pump_history_csv() {
  std::string history = "timestamp,device,wear,flow,noise\n";
  for (int t = 1; t <= 130; ++t) {
    const double h = t / 130.0;
    history += fmt::format("{},pump-9,{:.4f},{:.4f},{:.4f}\n", 1'704'067'200 + t * 60,
                           10 + 5 * h * h + 0.1 * std::sin(t * 1.3), 3 - 2 * h, std::sin(t * 0.7));
  }
  return history;
}

}  // namespace

TEST_CASE("a model trained with `edgegw train` predicts a new device's life in analyze",
          "[integration][cli]") {
  TempDir dir;
  write_file(dir.path() / "train.csv", run_to_failure_csv(24));
  const Run train =
      run_edgegw(dir, {"train", "--data", (dir.path() / "train.csv").string(), "--kind", "ridge",
                       "--windows", "5,10", "--rul-cap", "60", "--name", "synthetic-rul", "--out",
                       (dir.path() / "model.json").string()});
  REQUIRE(train.code == 0);

  write_file(dir.path() / "history.csv", pump_history_csv());
  const Run run = run_edgegw(
      dir, {"analyze", "--input", (dir.path() / "history.csv").string(), "--profile", "pump",
            "--model", (dir.path() / "model.json").string(), "--horizon", "20", "--cadence", "5",
            "--predictions", (dir.path() / "predictions.jsonl").string(), "--alerts",
            (dir.path() / "alerts.jsonl").string()});
  REQUIRE(run.code == 0);
  CHECK_THAT(run.err, Catch::Contains("maintenance_models=1") && Catch::Contains("predictions=26"));

  const std::vector<nlohmann::json> predictions = read_jsonl(dir.path() / "predictions.jsonl");
  REQUIRE(predictions.size() == 26);
  CHECK(predictions.front().at("model").at("name") == "synthetic-rul");
  CHECK(predictions.front().at("rul").get<double>() > 40);  // a new machine: far from failure
  CHECK(predictions.back().at("rul").get<double>() < 15);   // at its end: close to it

  std::vector<nlohmann::json> maintenance;
  for (const nlohmann::json& a : read_jsonl(dir.path() / "alerts.jsonl")) {
    if (a.at("source") == "maintenance:synthetic-rul") {
      maintenance.push_back(a);
    }
  }
  REQUIRE_FALSE(maintenance.empty());
  CHECK(maintenance.front().at("state") == "raised");
  CHECK(maintenance.front().at("profile") == "pump");
  CHECK(maintenance.front().at("threshold") == 20.0);
  // Raised inside the last 40 steps (of 130): early enough to act, not on a new machine.
  const std::int64_t raised = maintenance.front().at("raised");
  CHECK(raised >= (1'704'067'200 + 90 * 60) * std::int64_t{1000});
}

TEST_CASE("a CNN trained with `edgegw train` runs in analyze from its compact file",
          "[integration][cli]") {
  TempDir dir;
  write_file(dir.path() / "train.csv", run_to_failure_csv(24));
  const Run train = run_edgegw(dir, {"train",
                                     "--data",
                                     (dir.path() / "train.csv").string(),
                                     "--kind",
                                     "cnn",
                                     "--sequence",
                                     "12",
                                     "--filters",
                                     "4,1",
                                     "--kernel",
                                     "5",
                                     "--cnn-hidden",
                                     "8",
                                     "--ensemble",
                                     "2",
                                     "--epochs",
                                     "40",
                                     "--rul-cap",
                                     "60",
                                     "--name",
                                     "synthetic-cnn",
                                     "--out",
                                     (dir.path() / "model.json").string()});
  REQUIRE(train.code == 0);
  const std::string file = read_file(dir.path() / "model.json");
  CHECK_THAT(file, Catch::Contains("\"kind\": \"cnn\"") && Catch::Contains("\"weights_f32\""));

  write_file(dir.path() / "history.csv", pump_history_csv());
  const Run run =
      run_edgegw(dir, {"analyze", "--input", (dir.path() / "history.csv").string(), "--profile",
                       "pump", "--model", (dir.path() / "model.json").string(), "--cadence", "5",
                       "--predictions", (dir.path() / "predictions.jsonl").string()});
  REQUIRE(run.code == 0);
  const std::vector<nlohmann::json> predictions = read_jsonl(dir.path() / "predictions.jsonl");
  REQUIRE(predictions.size() == 26);
  CHECK(predictions.front().at("model").at("name") == "synthetic-cnn");
  CHECK(predictions.back().at("rul").get<double>() <
        predictions.front().at("rul").get<double>() - 20);  // it sees the wear
}

TEST_CASE("a trend from the config predicts remaining life in analyze, no training needed",
          "[integration][cli]") {
  TempDir dir;
  write_file(dir.path() / "gw.yaml", R"(analytics:
  maintenance:
    - device_class: pump
      trend: { indicator: vibration, threshold: 10, spacing: 5min, points: 60, unit: hours }
      horizon: 2
)");
  // 15 h of a vibration growing 0.5 mm/s per hour from 2: it reaches 10 at hour 16.
  std::string history = "timestamp,device,vibration\n";
  for (int s = 0; s < 15 * 3600; s += 60) {
    history += fmt::format("{},pump-3,{:.3f}\n", 1'704'067'200 + s, 2 + 0.5 * s / 3600.0);
  }
  write_file(dir.path() / "history.csv", history);
  const Run run =
      run_edgegw(dir, {"analyze", "--input", (dir.path() / "history.csv").string(), "--config",
                       (dir.path() / "gw.yaml").string(), "--profile", "pump", "--predictions",
                       (dir.path() / "predictions.jsonl").string(), "--alerts",
                       (dir.path() / "alerts.jsonl").string()});
  REQUIRE(run.code == 0);
  const std::vector<nlohmann::json> predictions = read_jsonl(dir.path() / "predictions.jsonl");
  REQUIRE(predictions.size() > 100);
  CHECK(predictions.back().at("model").at("name") == "trend-vibration");
  CHECK(predictions.back().at("unit") == "hours");
  CHECK(predictions.back().at("rul").get<double>() == Approx(1.04).margin(0.1));
  int raised = 0;
  for (const nlohmann::json& a : read_jsonl(dir.path() / "alerts.jsonl")) {
    raised += a.at("source") == "maintenance:trend-vibration" && a.at("state") == "raised";
  }
  CHECK(raised == 1);

  write_file(dir.path() / "bad.yaml", R"(analytics:
  maintenance:
    - device_class: pump
      model_file: pump.json
      trend: { indicator: vibration, threshold: 10 }
)");
  const Run bad =
      run_edgegw(dir, {"analyze", "--input", (dir.path() / "history.csv").string(), "--config",
                       (dir.path() / "bad.yaml").string(), "--profile", "pump"});
  CHECK(bad.code != 0);
  CHECK_THAT(bad.out + bad.err,
             Catch::Contains("bad.yaml:") && Catch::Contains("either model_file"));
}
