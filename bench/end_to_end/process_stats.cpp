#include "process_stats.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace edgegw::bench {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The fields of /proc/<pid>/stat after the command name, which may contain spaces and
// parentheses itself, so split after its last ')'.
std::optional<std::istringstream> stat_fields(pid_t pid) {
  const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) {
    return std::nullopt;
  }
  return std::istringstream(stat.substr(close + 1));
}

}  // namespace

std::optional<ProcessStats> read_process_stats(pid_t pid) {
  ProcessStats stats;
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  bool found = false;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) {
      std::istringstream value(line.substr(6));
      double kib = 0;
      value >> kib;
      stats.peak_rss_mib = kib / 1024.0;
      found = true;
    }
  }
  auto fields = stat_fields(pid);
  if (!found || !fields) {
    return std::nullopt;
  }
  // After the name: state(3) ppid(4) ... utime(14) stime(15), numbered as in proc(5).
  std::string skip;
  for (int field = 3; field < 14; ++field) {
    *fields >> skip;
  }
  double utime = 0;
  double stime = 0;
  *fields >> utime >> stime;
  stats.cpu_seconds = (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return stats;
}

}  // namespace edgegw::bench
