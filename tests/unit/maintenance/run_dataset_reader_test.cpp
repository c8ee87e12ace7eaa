#include <catch2/catch.hpp>
#include <cmath>

#include "models/run_dataset_reader.hpp"
#include "support/temp_dir.hpp"

namespace edgegw::models {
namespace {

std::string cmapss_row(int unit, int cycle, double s2) {
  std::string row = std::to_string(unit) + " " + std::to_string(cycle) +
                    " -0.0007 -0.0004 100.0 518.67 " + std::to_string(s2);
  for (int i = 3; i <= 21; ++i)
    row += " " + std::to_string(i);
  return row + "  \n";  // C-MAPSS lines end in spaces
}

TEST_CASE("C-MAPSS text is read per unit with named columns", "[unit]") {
  const edgegw::test::TempDir dir;
  const auto path = dir.write(
      "train.txt", cmapss_row(1, 1, 641.8) + cmapss_row(1, 2, 642.1) + cmapss_row(2, 1, 640.0));
  const analytics::RunDataset d = read_cmapss(path);
  REQUIRE(d.columns.size() == 24);
  CHECK(d.columns[0] == "setting1");
  CHECK(d.columns[3] == "s1");
  CHECK(d.columns[23] == "s21");
  REQUIRE(d.runs.size() == 2);
  CHECK(d.runs[0].unit == "1");
  CHECK(d.runs[0].time == std::vector<double>{1, 2});
  CHECK(d.runs[0].values[1][4] == Approx(642.1));
  CHECK(d.runs[0].rul_at(0) == 1.0);  // a run to failure
  analytics::RunDataset test = d;
  apply_final_rul(test, {10.0, 3.0});
  CHECK(test.runs[0].rul_at(0) == 11.0);
  CHECK(test.runs[1].rul_at(0) == 3.0);
  CHECK_THROWS_WITH(apply_final_rul(test, {1.0}), Catch::Contains("1 values for 2 units"));
}

TEST_CASE("malformed C-MAPSS rows are named by file and line", "[unit]") {
  const edgegw::test::TempDir dir;
  CHECK_THROWS_WITH(read_cmapss(dir.write("short.txt", cmapss_row(1, 1, 1.0) + "1 2 3\n")),
                    Catch::Contains("short.txt:2") && Catch::Contains("found 3"));
  CHECK_THROWS_WITH(
      read_cmapss(dir.write("order.txt", cmapss_row(1, 2, 1.0) + cmapss_row(1, 1, 1.0))),
      Catch::Contains("order.txt:2") && Catch::Contains("does not increase"));
  CHECK_THROWS_WITH(read_cmapss(dir.path() / "none.txt"), Catch::Contains("cannot open"));
}

TEST_CASE("the generic CSV groups interleaved devices and orders them by time", "[unit]") {
  const edgegw::test::TempDir dir;
  const auto path = dir.write("runs.csv",
                              "device,time,temp,vib,rul\n"
                              "a,2,10.5,0.2,8\n"
                              "b,1,11,,5\n"
                              "a,1,10,0.1,9\n");
  const analytics::RunDataset d = read_runs(path);
  CHECK(d.columns == std::vector<std::string>{"temp", "vib"});
  REQUIRE(d.runs.size() == 2);
  CHECK(d.runs[0].unit == "a");
  CHECK(d.runs[0].time == std::vector<double>{1, 2});
  CHECK(d.runs[0].rul == std::vector<double>{9, 8});
  CHECK(std::isnan(d.runs[1].values[0][1]));  // an empty cell is a missing value
  CHECK_THROWS_WITH(read_run_csv(dir.write("bad.csv", "device,time,x\na,1,zz\n")),
                    Catch::Contains("bad.csv:2") && Catch::Contains("'zz'"));
  // The error names the header's column, even when the row overwrote the read buffer.
  CHECK_THROWS_WITH(
      read_run_csv(dir.write("name.csv", "device,time,temp\nunit-0001,1,notanumber\n")),
      Catch::Contains("temp: 'notanumber'"));
  CHECK_THROWS_WITH(read_run_csv(dir.write("hdr.csv", "id,t,x\n")), Catch::Contains("device,time"));
}

TEST_CASE("a RUL file holds one number per line", "[unit]") {
  const edgegw::test::TempDir dir;
  CHECK(read_rul_file(dir.write("rul.txt", "112\n98\n\n")) == std::vector<double>{112, 98});
}

}  // namespace
}  // namespace edgegw::models
