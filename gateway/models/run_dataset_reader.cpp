#include "models/run_dataset_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>

#include "edgegw/csv.hpp"

namespace edgegw::models {
namespace {

constexpr int kCmapssSettings = 3;
constexpr int kCmapssSensors = 21;

[[noreturn]] void fail(const std::filesystem::path& path, std::size_t line,
                       const std::string& what) {
  throw std::runtime_error(path.string() + ":" + std::to_string(line) + ": " + what);
}

std::ifstream open(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(path.string() + ": cannot open for reading");
  return in;
}

// Parses a number; an empty cell is a missing value (NaN).
bool parse_number(std::string_view text, double& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    out = std::nan("");
    return true;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

analytics::RunDataset read_cmapss(const std::filesystem::path& path) {
  std::ifstream in = open(path);
  analytics::RunDataset data;
  for (int i = 1; i <= kCmapssSettings; ++i)
    data.columns.push_back("setting" + std::to_string(i));
  for (int i = 1; i <= kCmapssSensors; ++i)
    data.columns.push_back("s" + std::to_string(i));
  const std::size_t expected = 2 + data.columns.size();
  std::string line;
  std::size_t line_no = 0;
  std::map<std::string, std::size_t> index;
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream fields(line);
    std::vector<double> row;
    std::string token;
    while (fields >> token) {
      double v = 0.0;
      if (!parse_number(token, v) || std::isnan(v))
        fail(path, line_no, "'" + token + "' is not a number");
      row.push_back(v);
    }
    if (row.empty())
      continue;
    if (row.size() != expected) {
      fail(path, line_no,
           "expected " + std::to_string(expected) +
               " columns (unit, cycle, 3 settings, 21 sensors), found " +
               std::to_string(row.size()));
    }
    const std::string unit = std::to_string(static_cast<long long>(row[0]));
    auto [it, added] = index.emplace(unit, data.runs.size());
    if (added)
      data.runs.push_back(analytics::RunHistory{unit, {}, {}, {}});
    analytics::RunHistory& run = data.runs[it->second];
    if (!run.time.empty() && row[1] <= run.time.back()) {
      fail(path, line_no,
           "cycle " + std::to_string(row[1]) + " of unit " + unit + " does not increase");
    }
    run.time.push_back(row[1]);
    run.values.emplace_back(row.begin() + 2, row.end());
  }
  if (data.runs.empty())
    throw std::runtime_error(path.string() + ": no data rows");
  return data;
}

analytics::RunDataset read_run_csv(const std::filesystem::path& path) {
  std::ifstream in = open(path);
  // Its own string: `header` views it, and names columns in errors about later rows.
  std::string header_line;
  if (!std::getline(in, header_line))
    throw std::runtime_error(path.string() + ": empty file, expected a header");
  const std::vector<std::string_view> header = split_fields(header_line, ',');
  if (header.size() < 3 || header[0] != "device" || header[1] != "time") {
    fail(path, 1, "header must start with device,time and name at least one sensor column");
  }
  analytics::RunDataset data;
  int rul_col = -1;
  for (std::size_t i = 2; i < header.size(); ++i) {
    std::string name(header[i]);
    if (!name.empty() && name.back() == '\r')
      name.pop_back();
    if (name == "rul") {
      rul_col = static_cast<int>(i);
    } else {
      data.columns.push_back(name);
    }
  }
  std::map<std::string, std::size_t> index;
  std::size_t line_no = 1;
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r")
      continue;
    const std::vector<std::string_view> cells = split_fields(line, ',');
    if (cells.size() != header.size()) {
      fail(path, line_no,
           "expected " + std::to_string(header.size()) + " cells, found " +
               std::to_string(cells.size()));
    }
    const std::string device(cells[0]);
    double time = 0.0;
    if (!parse_number(cells[1], time) || std::isnan(time))
      fail(path, line_no, "time: not a number");
    auto [it, added] = index.emplace(device, data.runs.size());
    if (added)
      data.runs.push_back(analytics::RunHistory{device, {}, {}, {}});
    analytics::RunHistory& run = data.runs[it->second];
    std::vector<double> row;
    double rul = 0.0;
    for (std::size_t i = 2; i < cells.size(); ++i) {
      double v = 0.0;
      if (!parse_number(cells[i], v))
        fail(path, line_no,
             std::string(header[i]) + ": '" + std::string(cells[i]) + "' is not a number");
      if (static_cast<int>(i) == rul_col) {
        rul = v;
      } else {
        row.push_back(v);
      }
    }
    run.time.push_back(time);
    run.values.push_back(std::move(row));
    if (rul_col >= 0)
      run.rul.push_back(rul);
  }
  if (data.runs.empty())
    throw std::runtime_error(path.string() + ": no data rows");
  // Order each device's rows by time (rows may arrive interleaved or out of order).
  for (analytics::RunHistory& run : data.runs) {
    std::vector<std::size_t> order(run.time.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return run.time[a] < run.time[b]; });
    analytics::RunHistory sorted{run.unit, {}, {}, {}};
    for (std::size_t i : order) {
      sorted.time.push_back(run.time[i]);
      sorted.values.push_back(std::move(run.values[i]));
      if (!run.rul.empty())
        sorted.rul.push_back(run.rul[i]);
    }
    run = std::move(sorted);
  }
  return data;
}

analytics::RunDataset read_runs(const std::filesystem::path& path) {
  return path.extension() == ".csv" ? read_run_csv(path) : read_cmapss(path);
}

std::vector<double> read_rul_file(const std::filesystem::path& path) {
  std::ifstream in = open(path);
  std::vector<double> out;
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    double v = 0.0;
    if (!parse_number(line, v))
      fail(path, line_no, "'" + line + "' is not a number");
    if (!std::isnan(v))
      out.push_back(v);
  }
  return out;
}

void apply_final_rul(analytics::RunDataset& data, const std::vector<double>& final_rul) {
  if (final_rul.size() != data.runs.size()) {
    throw std::runtime_error("remaining-life file has " + std::to_string(final_rul.size()) +
                             " values for " + std::to_string(data.runs.size()) + " units");
  }
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    analytics::RunHistory& run = data.runs[r];
    run.rul.resize(run.time.size());
    for (std::size_t i = 0; i < run.time.size(); ++i) {
      run.rul[i] = final_rul[r] + (run.time.back() - run.time[i]);
    }
  }
}

}  // namespace edgegw::models
