#pragma once
// A child process for tests: started with fork/exec, stdout and stderr captured to files,
// waited for with a bound, and killed and reaped by the destructor if still running.
// Owned by one test; not thread-safe.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace edgegw::test {

class ChildProcess {
 public:
  // Throws std::runtime_error when the process cannot be started.
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& stdout_file,
               const std::filesystem::path& stderr_file);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // The exit code (128 + signal when killed), or nullopt if still running at the timeout.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  void signal(int signo) const;
  // SIGTERM, then SIGKILL if it has not exited after `grace`; returns the exit code.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));
  [[nodiscard]] bool running() { return !wait_for(std::chrono::milliseconds(0)); }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace edgegw::test
