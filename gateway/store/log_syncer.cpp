#include "store/log_syncer.hpp"

#include <pthread.h>

#include "store/store_logger.hpp"

namespace edgegw::store {

void LogSyncer::start(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] { run(interval); });
}

void LogSyncer::stop() {
  {
    const std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void LogSyncer::rolled(std::shared_ptr<File> sealed, std::shared_ptr<File> active) {
  const std::lock_guard lock(files_mutex_);
  if (sealed) {
    pending_.push_back(std::move(sealed));
  }
  active_ = std::move(active);
  directory_dirty_ = true;
  dirty_.store(true, std::memory_order_relaxed);
}

Status LogSyncer::sync_now() {
  const std::lock_guard round(round_mutex_);
  std::shared_ptr<File> active;
  std::vector<std::shared_ptr<File>> pending;
  bool directory = false;
  {
    const std::lock_guard lock(files_mutex_);
    active = active_;
    pending.swap(pending_);
    std::swap(directory, directory_dirty_);
  }
  dirty_.store(false, std::memory_order_relaxed);

  Status result = Ok{};
  auto note = [&](const Status& st) {
    LogCounters::add(counters_.fsyncs);
    if (!st) {
      LogCounters::add(counters_.io_errors);
      store_logger().error("Could not make the log durable error=\"{}\"", st.error().message);
      if (result) {
        result = st;
      }
    }
  };
  for (const auto& file : pending) {
    note(file->sync());
  }
  if (active) {
    note(active->sync());
  }
  if (directory) {
    note(fs_.sync_directory(directory_));
  }
  return result;
}

void LogSyncer::run(std::chrono::milliseconds interval) {
  pthread_setname_np(pthread_self(), "log-sync");
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval, [this] { return stopping_; });
    if (stopping_) {
      break;
    }
    if (dirty_.load(std::memory_order_relaxed)) {
      lock.unlock();
      (void)sync_now();  // failures are counted and logged; sync() reports them too
      lock.lock();
    }
  }
}

}  // namespace edgegw::store
