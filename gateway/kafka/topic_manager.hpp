#pragma once
// Topic management at the daemon's start (kafka.manage_topics: check or create): plans
// the declared topics against the cluster, creates the missing ones it may, and logs a
// warning per missing or differing topic. It runs on a thread of its own: ingest and
// the durable log never wait for it, and while the cluster is unreachable it says so
// and tries again every retry interval until one round completes.
//
// Lifetime: construct, start(), stop() (or destroy) from the owner thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "edgegw/config.hpp"
#include "edgegw/topic_admin.hpp"
#include "kafka/topic_probe.hpp"

namespace edgegw::kafka {

class TopicManager {
 public:
  using AdminFactory = std::function<std::unique_ptr<TopicAdmin>()>;

  TopicManager(KafkaConfig kafka, AdminFactory make_admin,
               std::chrono::milliseconds retry_interval = std::chrono::seconds(30));
  ~TopicManager();
  TopicManager(const TopicManager&) = delete;
  TopicManager& operator=(const TopicManager&) = delete;

  void start();
  void stop();
  [[nodiscard]] const TopicProbe& probe() const { return probe_; }

 private:
  void run();
  // One round; false when the cluster could not be asked.
  bool run_once();
  // Waits for the retry interval; false when stopped meanwhile.
  bool wait_to_retry();

  KafkaConfig kafka_;
  AdminFactory make_admin_;
  std::chrono::milliseconds retry_interval_;
  TopicProbe probe_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace edgegw::kafka
