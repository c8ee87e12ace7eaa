#pragma once
// What the kernel knows about a child process's cost: its peak resident memory and the
// CPU time it has used, read from /proc (Linux only, like the gateway's deployment).

#include <sys/types.h>

#include <optional>
#include <string>

namespace edgegw::bench {

struct ProcessStats {
  double peak_rss_mib = 0;  // VmHWM
  double cpu_seconds = 0;   // user + system
};

// Reads /proc/<pid>/status and /proc/<pid>/stat; nullopt when the process is gone.
std::optional<ProcessStats> read_process_stats(pid_t pid);

}  // namespace edgegw::bench
