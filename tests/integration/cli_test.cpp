// The user-facing subcommands as users run them: the real binary, its output and its
// exit codes.

#include <catch2/catch.hpp>

#include "support/child_process.hpp"

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

const char* kExample = EDGEGW_SOURCE_DIR "/config/gateway.example.yaml";

}  // namespace

TEST_CASE("check-config accepts the example and names file, line and key of a mistake",
          "[integration][cli]") {
  TempDir dir;
  const Run ok = run_edgegw(dir, {"check-config", kExample});
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("OK") && Catch::Contains("4 mapping(s)"));

  std::string broken = read_file(kExample);
  broken.replace(broken.find("qos: 1 "), 7, "qos: 7 ");
  const auto file = dir.path() / "broken.yaml";
  write_file(file, broken);
  const Run bad = run_edgegw(dir, {"check-config", file.string()});
  CHECK(bad.code == 1);
  CHECK_THAT(bad.err, Catch::Contains(file.string() + ":") &&
                          Catch::Contains("mqtt.qos: must be 0, 1 or 2"));
}

TEST_CASE("test-mapping shows the record, or the problems and the exit code for them",
          "[integration][cli]") {
  TempDir dir;
  const Run good = run_edgegw(
      dir, {"test-mapping", kExample, "--topic", "factory/north/motor/motor-001/telemetry",
            "--payload", "7,1704067200000,40.5,398.2,1365.8,49.47,2.928,1"});
  CHECK(good.code == 0);
  CHECK_THAT(good.out, Catch::Contains("mapping: motors") &&
                           Catch::Contains(R"("current":{"unit":"A","value":40.5})"));

  const Run partly = run_edgegw(
      dir, {"test-mapping", kExample, "--topic", "factory/north/motor/motor-001/telemetry",
            "--payload", "7,1704067200000,999,398.2,1365.8,49.47,2.928,1"});
  CHECK(partly.code == 2);
  CHECK_THAT(partly.out, Catch::Contains("problem: out_of_range"));

  const Run none =
      run_edgegw(dir, {"test-mapping", kExample, "--topic", "elsewhere/x", "--payload", "1"});
  CHECK(none.code == 1);
  CHECK_THAT(none.out, Catch::Contains("problem: no_mapping"));
}
