#pragma once
// Makes appended data durable off the writer's path. sync_now() fsyncs the segments
// sealed since the last round, the active segment and, after a roll, the directory. For
// the "interval" policy a thread owned by this object runs it every fsync_interval when
// something was appended, so that append() itself costs no syscall beyond its write.
//
// Threads: mark_dirty() and sealed() from the writer; sync_now() from any thread
// (rounds are serialised); the sync thread (named "log-sync") is started by start() and
// joined by stop() or the destructor.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "edgegw/result.hpp"
#include "store/file_system.hpp"
#include "store/log_counters.hpp"

namespace edgegw::store {

class LogSyncer {
 public:
  LogSyncer(FileSystem& fs, LogCounters& counters, std::filesystem::path directory)
      : fs_(fs), counters_(counters), directory_(std::move(directory)) {}
  LogSyncer(const LogSyncer&) = delete;
  LogSyncer& operator=(const LogSyncer&) = delete;
  ~LogSyncer() { stop(); }

  void start(std::chrono::milliseconds interval);
  void stop();

  // Writer, per append under "interval": a relaxed store, nothing more.
  void mark_dirty() { dirty_.store(true, std::memory_order_relaxed); }
  // Writer, at open and on roll: appends now go to `active`. `sealed` (may be null) was
  // the active file until now: its tail and the new file's directory entry still need
  // an fsync (left to the next round under "interval", done already under "always").
  void rolled(std::shared_ptr<File> sealed, std::shared_ptr<File> active);
  Status sync_now();

 private:
  void run(std::chrono::milliseconds interval);

  FileSystem& fs_;
  LogCounters& counters_;
  const std::filesystem::path directory_;
  std::atomic<bool> dirty_{false};

  std::mutex round_mutex_;  // one sync round at a time
  std::mutex files_mutex_;
  std::shared_ptr<File> active_;
  std::vector<std::shared_ptr<File>> pending_;
  bool directory_dirty_ = false;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace edgegw::store
