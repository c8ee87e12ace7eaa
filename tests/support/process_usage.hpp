#pragma once
// What a child process costs, read from /proc: resident memory and CPU time. For the
// bounds the store-and-forward tests check (memory stays flat through an outage, the
// forwarder does not spin), not for benchmarks.

#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace edgegw::test {

// Resident set size in MiB (VmRSS), 0 when the process is gone.
inline double process_rss_mib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stod(line.substr(6)) / 1024.0;  // the kernel reports kB
    }
  }
  return 0.0;
}

// User + system CPU seconds used so far, 0 when the process is gone.
inline double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);                   // one line
  const auto after_name = stat.rfind(')');  // the command name may contain spaces
  if (after_name == std::string::npos) {
    return 0.0;
  }
  std::istringstream fields(stat.substr(after_name + 2));
  std::string field;
  double ticks = 0.0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // utime is field 14, stime 15
    if (i >= 14) {
      ticks += std::stod(field);
    }
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace edgegw::test
